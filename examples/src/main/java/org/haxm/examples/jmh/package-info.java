/**
 * JMH benchmarks of the engine's pieces, one class per piece: {@link DecoderBenchmark} (decoding),
 * {@link ExecutionBenchmark} (one instruction class at a time through the emulator's {@code Cpu}),
 * {@link TranslationBenchmark} (guest loads through guest paging and EPT, translation cached or
 * not) and {@link ExitRoundTripBenchmark} (one VM exit from a guest OUT to the caller's
 * {@code switch} and back).
 *
 * <p>They use only public entry points — the emulator's {@code Cpu} and {@code Decoder}, and the
 * {@code org.haxm.api} API — so they keep measuring the same thing while the engine's internals
 * change. Run them from the shaded jar (see {@code examples/compare/README.md}):
 * <pre>
 *   java -cp examples/target/haxm.jar org.openjdk.jmh.Main -f 1 -wi 2 -i 3 'org.haxm.examples.jmh'
 * </pre>
 * Speed is measured here and in {@code examples/compare}, never asserted in tests: the tests of
 * this package only check that each benchmark's guest program does what the benchmark claims.
 */
package org.haxm.examples.jmh;
