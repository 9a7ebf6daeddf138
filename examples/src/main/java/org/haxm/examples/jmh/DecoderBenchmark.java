package org.haxm.examples.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.haxm.emulator.decoder.CodeFetcher;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Decoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds per decoded instruction over a mix of real 64-bit encodings of the kind compilers
 * emit (moves with SIB and displacements, ALU, branches, calls, string ops, SSE/VEX, LOCK),
 * decoded with a reused {@link Decoder} and {@link DecodedInstruction}, as the CPU does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecoderBenchmark {

    /** The mix: each an encoding (hex) and its length, checked by the tests. */
    static final List<String> MIX = List.of(
            "55",                         // push rbp
            "48 89 E5",                   // mov rbp, rsp
            "48 83 EC 20",                // sub rsp, 0x20
            "8B 45 FC",                   // mov eax, [rbp-4]
            "48 8B 04 C8",                // mov rax, [rax+rcx*8]
            "0F B6 04 0A",                // movzx eax, byte [rdx+rcx]
            "48 8D 44 24 08",             // lea rax, [rsp+8]
            "44 8B 44 24 10",             // mov r8d, [rsp+0x10]
            "48 63 D0",                   // movsxd rdx, eax
            "01 D0",                      // add eax, edx
            "31 C0",                      // xor eax, eax
            "39 C8",                      // cmp eax, ecx
            "75 F0",                      // jne short
            "0F 84 10 00 00 00",          // je near
            "E8 00 01 00 00",             // call rel32
            "C3",                         // ret
            "48 C1 E0 04",                // shl rax, 4
            "0F AF C2",                   // imul eax, edx
            "F7 F1",                      // div ecx
            "0F 94 C0",                   // sete al
            "48 0F 44 C1",                // cmove rax, rcx
            "F3 A4",                      // rep movsb
            "F3 48 AB",                   // rep stosq
            "66 0F 6F 07",                // movdqa xmm0, [rdi]
            "C5 F9 EF C0",                // vpxor xmm0, xmm0, xmm0
            "48 B8 88 77 66 55 44 33 22 11", // mov rax, imm64
            "0F 1F 44 00 00",             // nop dword [rax+rax]
            "F0 48 0F B1 0A",             // lock cmpxchg [rdx], rcx
            "41 5C",                      // pop r12
            "E6 E9");                     // out 0xE9, al

    private final Decoder decoder = new Decoder();
    private final DecodedInstruction out = new DecodedInstruction();
    private final ArrayFetcher fetcher = new ArrayFetcher(MIX);

    /** Decodes every instruction of the mix once; returns the summed lengths. */
    @Benchmark
    @OperationsPerInvocation(30)
    public int decodeMix() {
        int total = 0;
        int[] starts = fetcher.starts;
        for (int i = 0; i < starts.length; i++) {
            fetcher.start = starts[i];
            decoder.decode(fetcher, 64, out);
            total += out.length;
        }
        return total;
    }

    /** The mix laid out end to end; {@link #start} selects the instruction being decoded. */
    static final class ArrayFetcher implements CodeFetcher {
        final byte[] code;
        final int[] starts;
        int start;

        ArrayFetcher(List<String> encodings) {
            starts = new int[encodings.size()];
            byte[][] parts = new byte[encodings.size()][];
            int size = 0;
            for (int i = 0; i < parts.length; i++) {
                parts[i] = InstructionClass.hex(encodings.get(i));
                starts[i] = size;
                size += parts[i].length;
            }
            // Padding so a decoder reading up to 15 bytes past the last start stays in the array.
            code = new byte[size + Decoder.MAX_LENGTH];
            for (int i = 0; i < parts.length; i++) {
                System.arraycopy(parts[i], 0, code, starts[i], parts[i].length);
            }
        }

        @Override
        public int fetch(int offset) {
            return code[start + offset] & 0xFF;
        }
    }
}
