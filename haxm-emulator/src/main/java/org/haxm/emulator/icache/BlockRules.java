package org.haxm.emulator.icache;

import static org.haxm.emulator.decoder.Mnemonic.*;

import java.util.EnumSet;

import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Mnemonic;
import org.haxm.emulator.decoder.OperandKind;

/**
 * Which instructions end a {@link CodeBlock}.
 *
 * <p>A block is straight-line code: it ends after any instruction that may transfer control
 * (the CPU also checks after every instruction that RIP is where the block expects it, so a
 * missed branch would only cost speed), and after any instruction that may change how the
 * following bytes are fetched or decoded — control registers, EFER and other MSRs, descriptor
 * tables, paging-structure caches (INVLPG), the interrupt flag or TF (POPF, STI, CLI), HLT, and
 * every instruction the engine may intercept as a VM exit. Ending the block there means the next
 * instruction starts a fresh lookup that translates RIP again with the new state.
 */
public final class BlockRules {
    private BlockRules() {}

    private static final boolean[] ENDS = new boolean[Mnemonic.values().length];

    static {
        EnumSet<Mnemonic> ends = EnumSet.range(JO, SYSEXIT);           // all control transfers
        ends.addAll(EnumSet.range(RDMSR, RDGSBASE));                    // system, VMX, state management
        ends.addAll(EnumSet.of(INVALID, X87, SSE, MMX, AVX, UD0, UD1, UD2, HLT, CPUID, RDTSC, RDTSCP,
            RDPMC, RDRAND, RDSEED, PAUSE, IN, OUT, INS, OUTS, CLI, STI, POPF, POPFD, POPFQ, BOUND,
            LDS, LES, LFS, LGS, LSS));
        for (Mnemonic m : ends) ENDS[m.ordinal()] = true;
    }

    private static final boolean[] NEAR_BRANCH = new boolean[Mnemonic.values().length];

    static {
        for (Mnemonic m : EnumSet.range(JO, JG)) NEAR_BRANCH[m.ordinal()] = true;
        for (Mnemonic m : EnumSet.of(JMP, CALL, RET, LOOP, LOOPE, LOOPNE, JCXZ, JECXZ, JRCXZ)) NEAR_BRANCH[m.ordinal()] = true;
    }

    /**
     * True for near branches (Jcc, JMP, CALL, RET, LOOPcc, JrCXZ): they change RIP (and RSP) only,
     * never CS, CPL or paging, so the code-page translation of the block entry still holds after them.
     */
    public static boolean isNearBranch(DecodedInstruction insn) { return NEAR_BRANCH[insn.mnemonic.ordinal()]; }

    /** True when the block must end after {@code insn}. */
    public static boolean endsBlock(DecodedInstruction insn) {
        if (ENDS[insn.mnemonic.ordinal()]) return true;
        // MOV to/from control or debug registers and MOV Sreg (SS starts a shadow) stop as well.
        if (insn.mnemonic == MOV) {
            for (int i = 0; i < insn.operandCount; i++) {
                int k = insn.opKind[i];
                if (k == OperandKind.CREG || k == OperandKind.DREG || k == OperandKind.SREG) return true;
            }
        }
        return false;
    }
}
