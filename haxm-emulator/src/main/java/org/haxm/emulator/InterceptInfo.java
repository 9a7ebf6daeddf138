package org.haxm.emulator;

import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Mnemonic;

/**
 * What the CPU tells its {@link InterceptHook} about a sensitive instruction or an event. One
 * instance per CPU, overwritten each time, so interception allocates nothing. Only the fields
 * that apply to {@link #kind} are meaningful.
 */
public final class InterceptInfo {
    public SensitiveInstruction kind;
    public Mnemonic mnemonic;
    /** The decoded instruction (for the VM-exit instruction-information field). */
    public DecodedInstruction insn;
    /** Instruction length in bytes. */
    public int length;

    // MOV CR / MOV DR / CLTS / LMSW
    /** Control or debug register number. */
    public int crNumber;
    /** General-purpose register operand 0..15 for MOV CR/DR. */
    public int gpr;
    /** For MOV DR: true = MOV from DR to the GPR. */
    public boolean fromRegister;
    /** Value to be written: new CR value, WRMSR EDX:EAX, LMSW source, XSETBV EDX:EAX. */
    public long value;
    /** LMSW with a memory operand. */
    public boolean lmswMemory;

    // I/O
    public int port;
    /** Access size 1, 2 or 4. */
    public int size;
    public boolean in;
    public boolean string;
    public boolean rep;
    /** Port given as an immediate (else DX). */
    public boolean immediate;
    /** Linear address of the string operand (INS: ES:rDI; OUTS: seg:rSI), INVLPG operand, LMSW memory. */
    public long linearAddress;
    /** Address size (2, 4, 8) of a string I/O instruction. */
    public int addressSize;
    /** Segment (ordinal) of a string OUTS source. */
    public int segment;

    // RDMSR / WRMSR
    /** MSR index from ECX. */
    public int msr;
}
