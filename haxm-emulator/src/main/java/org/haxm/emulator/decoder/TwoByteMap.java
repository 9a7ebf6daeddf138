package org.haxm.emulator.decoder;

import static org.haxm.emulator.decoder.Mnemonic.*;
import static org.haxm.emulator.decoder.OpcodeEntry.of;
import static org.haxm.emulator.decoder.OpcodeEntry.select;
import static org.haxm.emulator.decoder.OpcodeFlags.*;

import org.haxm.emulator.decoder.OpcodeEntry.Selector;

/**
 * The two-byte opcode map (0F xx), from Intel SDM Vol. 2, Appendix A, Table A-3, with groups 6-9,
 * 15 and 16 of Table A-6. General-purpose and system instructions carry full operand detail;
 * MMX/SSE cells are built by {@link VectorEntries} from their valid mandatory-prefix columns.
 */
final class TwoByteMap {
    private TwoByteMap() {}

    static OpcodeEntry[] build() {
        OpcodeEntry[] t = new OpcodeEntry[256];
        java.util.Arrays.fill(t, OpcodeEntry.UD);
        system(t);
        row1and2(t);
        row3to4(t);
        row8toA(t);
        rowBtoC(t);
        VectorEntries.fillTwoByte(t);
        return t;
    }

    /** 0F 00 - 0F 0F: groups 6 and 7, LAR/LSL, SYSCALL... */
    private static void system(OpcodeEntry[] t) {
        t[0x00] = select(Selector.REG, 0, of(SLDT, "Mw/Rv"), of(STR, "Mw/Rv"), of(LLDT, "Ew"), of(LTR, "Ew"),
            of(VERR, "Ew"), of(VERW, "Ew"), null, null);
        t[0x01] = select(Selector.MOD, 0, group7Memory(), group7Register());
        // LAR/LSL read a 16-bit selector from memory, but name a full-size register (SDM Vol. 2, LAR).
        t[0x02] = of(LAR, "Gv,Mw/Rv"); t[0x03] = of(LSL, "Gv,Mw/Rv");
        // SYSCALL/SYSRET: #UD outside 64-bit mode on Intel processors (SDM Vol. 2, SYSCALL).
        t[0x05] = of(SYSCALL, "", ONLY_64); t[0x06] = of(CLTS, ""); t[0x07] = of(SYSRET, "", ONLY_64);
        t[0x08] = of(INVD, ""); // F3 0F 09 is WBNOINVD, which executes as WBINVD where unsupported (SDM Vol. 2, WBNOINVD).
        t[0x09] = select(Selector.PREFIX, 0, of(WBINVD, ""), OpcodeEntry.UD, of(WBINVD, ""), OpcodeEntry.UD); t[0x0B] = of(UD2, "");
        // 0F 0D: PREFETCHW group (all /digits are hints; memory only).
        t[0x0D] = select(Selector.MOD, 0, of(PREFETCH, "Mb"), null);
    }

    private static OpcodeEntry group7Memory() {
        return select(Selector.REG, 0, of(SGDT, "Ms"), of(SIDT, "Ms"), of(LGDT, "Ms"), of(LIDT, "Ms"),
            of(SMSW, "Mw/Rv"), null, of(LMSW, "Ew"), of(INVLPG, "Mb"));
    }

    /** Register forms of group 7: the r/m field selects the instruction (SDM Table A-6, 0F 01 mod=11). */
    private static OpcodeEntry group7Register() {
        OpcodeEntry vmx = select(Selector.RM, 0, null, of(VMCALL, ""), of(VMLAUNCH, ""), of(VMRESUME, ""),
            of(VMXOFF, ""), null, null, null);
        OpcodeEntry monitor = select(Selector.RM, 0, of(MONITOR, ""), of(MWAIT, ""), of(CLAC, ""), of(STAC, ""),
            null, null, null, null);
        OpcodeEntry xcr = select(Selector.RM, 0, of(XGETBV, ""), of(XSETBV, ""), null, null, of(VMFUNC, ""),
            of(XEND, ""), of(XTEST, ""), null);
        // RDPKRU/WRPKRU are "NP 0F 01 EE/EF": with 66 or F2 they are #UD; F3 encodes CLUI/STUI (UINTR), not modelled.
        OpcodeEntry pkru = select(Selector.RM, 0, null, null, null, null, null, null, noRep(of(RDPKRU, "")), noRep(of(WRPKRU, "")));
        OpcodeEntry swapgs = select(Selector.RM, 0, of(SWAPGS, "", ONLY_64), of(RDTSCP, ""), null, null, null, null, null, null);
        return select(Selector.REG, 0, vmx, monitor, xcr, null, of(SMSW, "Mw/Rv"), pkru, of(LMSW, "Ew"), swapgs);
    }

    /** 0F 18 - 0F 2F (non-vector part): hint NOPs and control/debug register moves. */
    private static void row1and2(OpcodeEntry[] t) {
        // Group 16: PREFETCHh with memory; register forms and /4-/7 are reserved NOPs.
        t[0x18] = select(Selector.MOD, 0, select(Selector.REG, 0, of(PREFETCH, "Mb"), of(PREFETCH, "Mb"),
            of(PREFETCH, "Mb"), of(PREFETCH, "Mb"), of(NOP, "Ev"), of(NOP, "Ev"), of(NOP, "Ev"), of(NOP, "Ev")),
            of(NOP, "Ev"));
        // 0F 19-1F are reserved-NOP space ("NOP r/m" hint, SDM Vol. 2 NOP); F3 0F 1E FA/FB are ENDBR64/32.
        for (int op = 0x19; op <= 0x1F; op++) t[op] = of(NOP, "Ev");
        OpcodeEntry endbr = select(Selector.MOD, 0, of(NOP, "Ev"), select(Selector.REG, 0, of(NOP, "Ev"),
            of(NOP, "Ev"), of(NOP, "Ev"), of(NOP, "Ev"), of(NOP, "Ev"), of(NOP, "Ev"), of(NOP, "Ev"),
            select(Selector.RM, 0, of(NOP, "Ev"), of(NOP, "Ev"), of(ENDBR64, ""), of(ENDBR32, ""),
                of(NOP, "Ev"), of(NOP, "Ev"), of(NOP, "Ev"), of(NOP, "Ev"))));
        t[0x1E] = select(Selector.PREFIX, 0, of(NOP, "Ev"), null, endbr, null);
        // MOV to/from CRn/DRn: mod is ignored, operands are 32-bit (64-bit in 64-bit mode).
        t[0x20] = of(MOV, "Rc,Cc", REG_FORM); t[0x21] = of(MOV, "Rc,Dc", REG_FORM);
        t[0x22] = of(MOV, "Cc,Rc", REG_FORM); t[0x23] = of(MOV, "Dc,Rc", REG_FORM);
    }

    /** 0F 30 - 0F 4F: MSRs, fast system calls, CMOVcc. */
    private static void row3to4(OpcodeEntry[] t) {
        t[0x30] = of(WRMSR, ""); t[0x31] = of(RDTSC, ""); t[0x32] = of(RDMSR, ""); t[0x33] = of(RDPMC, "");
        t[0x34] = of(SYSENTER, ""); t[0x35] = of(SYSEXIT, ""); t[0x37] = of(GETSEC, "");
        for (int cc = 0; cc < 16; cc++) t[0x40 + cc] = of(Mnemonic.cmov(cc), "Gv,Ev");
        // VMREAD/VMWRITE: 64-bit operands in 64-bit mode, 32-bit otherwise (SDM Vol. 3C §30.3).
        t[0x78] = select(Selector.PREFIX, 0, of(VMREAD, "Ec,Gc"), VectorEntries.extrq(), OpcodeEntry.UD,
            VectorEntries.insertq());
        t[0x79] = select(Selector.PREFIX, 0, of(VMWRITE, "Gc,Ec"), VectorEntries.registerOnly(of(SSE, "V,W")),
            OpcodeEntry.UD, VectorEntries.registerOnly(of(SSE, "V,W")));
    }

    /** 0F 80 - 0F AF. */
    private static void row8toA(OpcodeEntry[] t) {
        for (int cc = 0; cc < 16; cc++) {
            t[0x80 + cc] = of(Mnemonic.jcc(cc), "Jz", FORCE_64);
            t[0x90 + cc] = of(Mnemonic.set(cc), "Eb");
        }
        t[0xA0] = of(PUSH, "FS", DEFAULT_64); t[0xA1] = of(POP, "FS", DEFAULT_64);
        t[0xA2] = of(CPUID, ""); t[0xA3] = of(BT, "Ev,Gv");
        t[0xA4] = of(SHLD, "Ev,Gv,Ib"); t[0xA5] = of(SHLD, "Ev,Gv,CL");
        t[0xA8] = of(PUSH, "GS", DEFAULT_64); t[0xA9] = of(POP, "GS", DEFAULT_64);
        t[0xAA] = of(RSM, ""); t[0xAB] = of(BTS, "Ev,Gv", LOCKABLE);
        t[0xAC] = of(SHRD, "Ev,Gv,Ib"); t[0xAD] = of(SHRD, "Ev,Gv,CL");
        t[0xAE] = select(Selector.MOD, 0, group15Memory(), group15Register());
        t[0xAF] = of(IMUL, "Gv,Ev");
    }

    /** Memory forms of group 15; F3/F2 columns belong to extensions not modelled (PTWRITE, CET): #UD. */
    private static OpcodeEntry group15Memory() {
        return select(Selector.REG, 0, noRep(of(FXSAVE, "M")), noRep(of(FXRSTOR, "M")), noRep(of(LDMXCSR, "Md")),
            noRep(of(STMXCSR, "Md")), noRep(of(XSAVE, "M")), noRep(of(XRSTOR, "M")),
            select(Selector.PREFIX, 0, of(XSAVEOPT, "M"), of(CLWB, "Mb"), OpcodeEntry.UD, OpcodeEntry.UD),
            select(Selector.PREFIX, 0, of(CLFLUSH, "Mb"), of(CLFLUSHOPT, "Mb"), OpcodeEntry.UD, OpcodeEntry.UD));
    }

    /** Valid only without a 66/F3/F2 prefix ("NP" in the SDM opcode column). */
    private static OpcodeEntry noRep(OpcodeEntry e) {
        return select(Selector.PREFIX, 0, e, OpcodeEntry.UD, OpcodeEntry.UD, OpcodeEntry.UD);
    }

    /** Register forms of group 15: F3-prefixed FS/GS base access (64-bit only) and the fences. */
    private static OpcodeEntry group15Register() {
        return select(Selector.REG, 0,
            select(Selector.PREFIX, 0, OpcodeEntry.UD, null, of(RDFSBASE, "Ry", ONLY_64), null),
            select(Selector.PREFIX, 0, OpcodeEntry.UD, null, of(RDGSBASE, "Ry", ONLY_64), null),
            select(Selector.PREFIX, 0, OpcodeEntry.UD, null, of(WRFSBASE, "Ry", ONLY_64), null),
            select(Selector.PREFIX, 0, OpcodeEntry.UD, null, of(WRGSBASE, "Ry", ONLY_64), null),
            // 66/F2 0F AE /5 (register) are unassigned; F3 is INCSSP (CET), which runs as LFENCE without CET.
            null, select(Selector.PREFIX, 0, of(LFENCE, ""), OpcodeEntry.UD, null, OpcodeEntry.UD),
            onlyRm0(of(MFENCE, "")), onlyRm0(of(SFENCE, "")));
    }

    /** MFENCE and SFENCE are listed with r/m = 000 only (0F AE F0, 0F AE F8; SDM Vol. 2). */
    private static OpcodeEntry onlyRm0(OpcodeEntry e) {
        return select(Selector.RM, 0, e, null, null, null, null, null, null, null);
    }

    /** 0F B0 - 0F CF. */
    private static void rowBtoC(OpcodeEntry[] t) {
        t[0xB0] = of(CMPXCHG, "Eb,Gb", LOCKABLE); t[0xB1] = of(CMPXCHG, "Ev,Gv", LOCKABLE);
        t[0xB2] = select(Selector.MOD, 0, of(LSS, "Gv,Mp"), null);
        t[0xB3] = of(BTR, "Ev,Gv", LOCKABLE);
        t[0xB4] = select(Selector.MOD, 0, of(LFS, "Gv,Mp"), null);
        t[0xB5] = select(Selector.MOD, 0, of(LGS, "Gv,Mp"), null);
        t[0xB6] = of(MOVZX, "Gv,Eb"); t[0xB7] = of(MOVZX, "Gv,Ew");
        t[0xB8] = select(Selector.PREFIX, 0, OpcodeEntry.UD, null, of(POPCNT, "Gv,Ev"), null);
        t[0xB9] = of(UD1, "Gv,Ev");
        t[0xBA] = select(Selector.REG, 0, null, null, null, null, of(BT, "Ev,Ib"), of(BTS, "Ev,Ib", LOCKABLE),
            of(BTR, "Ev,Ib", LOCKABLE), of(BTC, "Ev,Ib", LOCKABLE));
        t[0xBB] = of(BTC, "Ev,Gv", LOCKABLE);
        // BSF/BSR have no F2 form (binutils rejects it as well); F3 selects TZCNT/LZCNT.
        t[0xBC] = select(Selector.PREFIX, 0, of(BSF, "Gv,Ev"), null, of(TZCNT, "Gv,Ev"), OpcodeEntry.UD);
        t[0xBD] = select(Selector.PREFIX, 0, of(BSR, "Gv,Ev"), null, of(LZCNT, "Gv,Ev"), OpcodeEntry.UD);
        t[0xBE] = of(MOVSX, "Gv,Eb"); t[0xBF] = of(MOVSX, "Gv,Ew");
        t[0xC0] = of(XADD, "Eb,Gb", LOCKABLE); t[0xC1] = of(XADD, "Ev,Gv", LOCKABLE);
        t[0xC3] = select(Selector.PREFIX, 0, select(Selector.MOD, 0, of(MOVNTI, "My,Gy"), null),
            OpcodeEntry.UD, OpcodeEntry.UD, OpcodeEntry.UD);
        t[0xC7] = select(Selector.MOD, 0, group9Memory(), group9Register());
        for (int r = 0; r < 8; r++) t[0xC8 + r] = of(BSWAP, "Zv");
        t[0xFF] = of(UD0, "Gv,Ev");
    }

    private static OpcodeEntry group9Memory() {
        OpcodeEntry cmpxchg = select(Selector.OPSIZE, 0, of(CMPXCHG8B, "Mq", LOCKABLE), of(CMPXCHG8B, "Mq", LOCKABLE),
            of(CMPXCHG16B, "Mdq", LOCKABLE));
        return select(Selector.REG, 0, null, cmpxchg, null, null, null, null,
            select(Selector.PREFIX, 0, of(VMPTRLD, "Mq"), of(VMCLEAR, "Mq"), of(VMXON, "Mq"), OpcodeEntry.UD),
            select(Selector.PREFIX, 0, of(VMPTRST, "Mq"), OpcodeEntry.UD, OpcodeEntry.UD, OpcodeEntry.UD));
    }

    private static OpcodeEntry group9Register() {
        // F3 0F C7 /6 (register) is SENDUIPI (user interrupts), not modelled: #UD.
        return select(Selector.REG, 0, null, null, null, null, null, null,
            select(Selector.PREFIX, 0, of(RDRAND, "Rv"), null, OpcodeEntry.UD, OpcodeEntry.UD),
            select(Selector.PREFIX, 0, of(RDSEED, "Rv"), null, of(RDPID, "Rc"), OpcodeEntry.UD));
    }
}
