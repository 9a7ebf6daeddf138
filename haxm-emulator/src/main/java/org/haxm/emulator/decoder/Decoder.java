package org.haxm.emulator.decoder;

import static org.haxm.emulator.decoder.DecodedInstruction.*;

import org.haxm.emulator.decoder.OpcodeEntry.Selector;

/**
 * Table-driven x86 instruction decoder for 16-, 32- and 64-bit code (Intel SDM Vol. 2, Chapter 2
 * "Instruction Format" and Appendix A "Opcode Map").
 *
 * <p>Decoding runs in four steps, each a small method: legacy/REX prefixes (§2.1.1, §2.2.1), the
 * opcode and its map (one-byte, 0F, 0F38, 0F3A or VEX, §2.3), resolution of the opcode cell through
 * group/prefix selectors ({@link OpcodeEntry.Selector}), then ModRM/SIB/displacement (§2.1.5) and the
 * operands named by the cell's {@link OperandSpec}s.
 *
 * <p>The decoder never throws for bad bytes: invalid encodings produce {@link DecodedInstruction#FAULT_UD}
 * and encodings longer than 15 bytes {@link DecodedInstruction#FAULT_GP} (§2.3.11). Exceptions thrown
 * by the {@link CodeFetcher} (for instance a page fault on the code fetch) propagate unchanged.
 *
 * <p>An instance keeps per-decode scratch state and allocates nothing while decoding; it is not
 * thread-safe, so each virtual CPU owns one.
 */
public final class Decoder {
    /** Maximum instruction length (SDM Vol. 2 §2.3.11). */
    public static final int MAX_LENGTH = 15;

    /** Opcode maps by map number (0 = one-byte, 1 = 0F, 2 = 0F38, 3 = 0F3A); package-private for tests. */
    static final OpcodeEntry[][] LEGACY_MAPS = {
        OneByteMap.build(), TwoByteMap.build(), ThreeByteMaps.build0F38(), ThreeByteMaps.build0F3A()};
    static final OpcodeEntry[][] VEX_MAPS = VexMap.build();

    /** 16-bit ModRM addressing (SDM Vol. 2, Table 2-1): base and index registers by r/m. */
    private static final int[] BASE16 = {3, 3, 5, 5, 6, 7, 5, 3};
    private static final int[] INDEX16 = {6, 7, 6, 7, -1, -1, -1, -1};
    private static final int SEG_SS = 2, SEG_DS = 3, SEG_FS = 4;

    /** Thrown (preallocated, no stack trace) when the instruction runs past 15 bytes. */
    private static final class TooLong extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final TooLong INSTANCE = new TooLong();
        private TooLong() { super("instruction longer than 15 bytes", null, false, false); }
    }

    // Per-decode scratch state.
    private CodeFetcher fetcher;
    private DecodedInstruction out;
    private int pos;
    private int codeSize;
    private boolean mode64;
    private boolean vex;
    private int rexW, rexR, rexX, rexB;
    private int lastRep;
    private int modrm;
    private int opcodeByte;
    private int vsize;
    private int immCount;
    private int effectiveOverride;

    /**
     * Decodes one instruction.
     *
     * @param fetch    source of the instruction bytes (offset 0 = first byte)
     * @param codeSize 16, 32 or 64 (64 = 64-bit mode, CS.L = 1)
     * @param out      filled in place; see {@link DecodedInstruction} for the meaning of each field
     * @throws IllegalArgumentException if {@code codeSize} is not 16, 32 or 64
     */
    public void decode(CodeFetcher fetch, int codeSize, DecodedInstruction out) {
        if (codeSize != 16 && codeSize != 32 && codeSize != 64) {
            throw new IllegalArgumentException("codeSize must be 16, 32 or 64, was " + codeSize);
        }
        out.clear();
        out.codeSize = codeSize;
        this.fetcher = fetch;
        this.out = out;
        this.codeSize = codeSize;
        this.mode64 = codeSize == 64;
        pos = 0; vex = false; rexW = rexR = rexX = rexB = 0; lastRep = 0; modrm = -1; immCount = 0; effectiveOverride = -1;
        try {
            decodeInstruction();
        } catch (TooLong e) {
            fault(FAULT_GP);
            out.length = MAX_LENGTH;
        } finally {
            this.fetcher = null;
            this.out = null;
        }
    }

    private void decodeInstruction() {
        int b = prefixes();
        boolean osPrefix = out.hasPrefix(PREFIX_ADDRSIZE);
        out.addressSize = mode64 ? (osPrefix ? 4 : 8) : ((codeSize == 16) != osPrefix ? 2 : 4);
        out.segment = effectiveOverride >= 0 ? effectiveOverride : SEG_DS;
        if ((b == 0xC4 || b == 0xC5) && (mode64 || (peek() & 0xC0) == 0xC0)) {
            decodeVex(b);
            return;
        }
        int map = 0;
        if (b == 0x0F) {
            b = next();
            if (b == 0x38) { map = 2; b = next(); }
            else if (b == 0x3A) { map = 3; b = next(); }
            else map = 1;
        }
        opcodeByte = b;
        out.opcode = map << 8 | b;
        finish(resolve(LEGACY_MAPS[map][b], legacyPrefixColumn()));
    }

    /** Consumes legacy prefixes (any order, repeats allowed) and REX; returns the first opcode byte. */
    private int prefixes() {
        for (;;) {
            int b = next();
            switch (b) {
                case 0xF0 -> out.prefixes |= PREFIX_LOCK;
                case 0xF2 -> { out.prefixes |= PREFIX_REPNE; lastRep = b; }
                case 0xF3 -> { out.prefixes |= PREFIX_REP; lastRep = b; }
                case 0x66 -> out.prefixes |= PREFIX_OPSIZE;
                case 0x67 -> out.prefixes |= PREFIX_ADDRSIZE;
                case 0x26, 0x2E, 0x36, 0x3E -> segmentPrefix((b >> 3) & 3);
                case 0x64, 0x65 -> segmentPrefix(b - 0x60);
                default -> {
                    if (mode64 && (b & 0xF0) == 0x40) {
                        out.rex = b;
                        rexW = b >> 3 & 1; rexR = b >> 2 & 1; rexX = b >> 1 & 1; rexB = b & 1;
                        continue;
                    }
                    return b;
                }
            }
            // A REX prefix only counts immediately before the opcode (SDM Vol. 2 §2.2.1).
            out.rex = 0; rexW = rexR = rexX = rexB = 0;
        }
    }

    /**
     * Records a segment override. In 64-bit mode ES/CS/SS/DS overrides are null prefixes (SDM Vol. 1
     * §3.3.7.1): they neither apply nor cancel an earlier FS/GS override.
     */
    private void segmentPrefix(int segment) {
        out.prefixes |= PREFIX_SEG;
        out.segmentOverride = segment;
        if (!mode64 || segment >= SEG_FS) effectiveOverride = segment;
    }

    /** Mandatory-prefix column: the last of F3/F2 wins over 66 (SDM Vol. 2 §2.1.2). */
    private int legacyPrefixColumn() {
        if (lastRep == 0xF3) return 2;
        if (lastRep == 0xF2) return 3;
        return out.hasPrefix(PREFIX_OPSIZE) ? 1 : 0;
    }

    /** VEX prefix (SDM Vol. 2 §2.3.5): C4 = 3-byte form, C5 = 2-byte form. */
    private void decodeVex(int c) {
        // VEX with LOCK, 66, F2, F3 or REX is #UD (SDM Vol. 2 §2.3.2).
        boolean bad = (out.prefixes & (PREFIX_LOCK | PREFIX_REP | PREFIX_REPNE | PREFIX_OPSIZE)) != 0 || out.rex != 0;
        int b1 = next();
        int map = 1, w = 0, second = b1;
        rexR = ~b1 >> 7 & 1;
        if (c == 0xC4) {
            rexX = ~b1 >> 6 & 1; rexB = ~b1 >> 5 & 1; map = b1 & 0x1F;
            second = next();
            w = second >> 7 & 1;
        }
        int vvvv = ~second >> 3 & 0xF;
        if (!mode64) { rexR = rexX = rexB = 0; w = 0; vvvv &= 7; }
        rexW = w;
        vex = true;
        out.prefixes |= PREFIX_VEX;
        out.vexReg = vvvv;
        out.vexL = second >> 2 & 1;
        int op = next();
        opcodeByte = op;
        out.opcode = (map & 3) << 8 | op;
        if (bad || map < 1 || map > 3) { fault(FAULT_UD); return; }
        OpcodeEntry e = resolve(VEX_MAPS[map][op], second & 3);
        // A VEX.0F instruction exists where the legacy 0F cell has an SSE form in the same
        // mandatory-prefix column (VEX.pp), SDM Vol. 2 §2.3.1 and Table A-3; MMX forms have none.
        if (map == 1 && e != null && e.mnemonic() == Mnemonic.AVX && op != 0x77 && op != 0xAE) {
            OpcodeEntry legacy = resolve(LEGACY_MAPS[1][op], second & 3);
            if (legacy == null || legacy.mnemonic() != Mnemonic.SSE) e = null;
        }
        // BMI instructions need VEX.L = 0, and VEX.vvvv = 1111b where it names no operand (RORX);
        // both are #UD otherwise (SDM Vol. 2 §2.5.1, Table 2-28 "VEX.L must be 0; vvvv reserved").
        if (e != null && VexMap.isGeneralPurpose(e.mnemonic())
            && (out.vexL != 0 || !e.usesVexRegister() && vvvv != 0)) {
            e = null;
        }
        finish(e);
    }

    /** Walks selector cells down to a leaf; null means #UD. */
    private OpcodeEntry resolve(OpcodeEntry e, int prefixColumn) {
        while (e != null && e.isSelector()) {
            OpcodeEntry[] c = e.choices();
            Selector s = e.selector();
            if (s == Selector.REG) e = c[modrm() >> 3 & 7];
            else if (s == Selector.MOD) e = c[modrm() >> 6 == 3 ? 1 : 0];
            else if (s == Selector.RM) e = c[modrm() & 7];
            else if (s == Selector.PREFIX) e = c[prefixColumn] != null ? c[prefixColumn] : c[0];
            else if (s == Selector.OPSIZE) e = c[sizeIndex(operandSizeFor(e.flags()))];
            else if (s == Selector.ADSIZE) e = c[sizeIndex(out.addressSize)];
            else if (s == Selector.MODE64) e = c[mode64 ? 1 : 0];
            else if (s == Selector.REXB) e = c[rexB];
            else e = null;
        }
        return e;
    }

    private static int sizeIndex(int size) { return size == 2 ? 0 : size == 4 ? 1 : 2; }

    /** Effective operand size for a cell (SDM Vol. 1 §3.6.1 and Vol. 2 §2.2.1.2, Table 2-4). */
    private int operandSizeFor(int flags) {
        boolean o16 = out.hasPrefix(PREFIX_OPSIZE) && !vex;
        if (mode64) {
            if (OpcodeFlags.has(flags, OpcodeFlags.FORCE_64) || rexW != 0) return 8;
            if (OpcodeFlags.has(flags, OpcodeFlags.DEFAULT_64)) return o16 ? 2 : 8;
            return o16 ? 2 : 4;
        }
        return (codeSize == 16) != o16 ? 2 : 4;
    }

    /** Completes decoding of a leaf: mode checks, ModRM/SIB/displacement, operands, LOCK rule. */
    private void finish(OpcodeEntry e) {
        if (e == null || !e.isValid()) { fault(FAULT_UD); return; }
        int flags = e.flags();
        if (mode64 ? e.has(OpcodeFlags.INVALID_64) : e.has(OpcodeFlags.ONLY_64)) { fault(FAULT_UD); return; }
        vsize = operandSizeFor(flags);
        out.operandSize = e.has(OpcodeFlags.BYTE_OP) ? 1 : e.has(OpcodeFlags.OPSIZE_Z) && vsize == 8 ? 4 : vsize;
        if (e.has(OpcodeFlags.MODRM)) {
            modrm();
            if (modrm >> 6 != 3 && !e.has(OpcodeFlags.REG_FORM)) decodeMemoryAddress();
        }
        int[] specs = e.operands();
        for (int i = 0; i < specs.length; i++) {
            if (!operand(i, specs[i], flags)) { fault(FAULT_UD); return; }
        }
        if (out.hasPrefix(PREFIX_LOCK)
            && (!e.has(OpcodeFlags.LOCKABLE) || modrm < 0 || modrm >> 6 == 3)) { fault(FAULT_UD); return; }
        out.operandCount = specs.length;
        out.mnemonic = e.mnemonic();
        out.length = pos;
    }

    private void fault(int fault) {
        out.fault = fault;
        out.mnemonic = Mnemonic.INVALID;
        out.operandCount = 0;
        out.length = Math.max(1, pos);
    }

    // ----- ModRM, SIB, displacement -----

    private int modrm() {
        if (modrm < 0) {
            modrm = next();
            out.modrm = modrm;
            out.reg = (modrm >> 3 & 7) | rexR << 3;
        }
        return modrm;
    }

    /** Decodes the memory form of ModRM (SDM Vol. 2 Tables 2-1, 2-2, 2-3 and §2.2.1.6 RIP-relative). */
    private void decodeMemoryAddress() {
        int mod = modrm >> 6, rm = modrm & 7;
        out.scale = 1;
        if (out.addressSize == 2) {
            if (mod == 0 && rm == 6) {
                out.disp = (short) readLE(2);
            } else {
                out.base = BASE16[rm];
                out.index = INDEX16[rm];
                if (mod == 1) out.disp = (byte) next();
                else if (mod == 2) out.disp = (short) readLE(2);
            }
        } else {
            if (rm == 4) {
                int sib = next();
                out.scale = 1 << (sib >> 6);
                int index = (sib >> 3 & 7) | rexX << 3;
                out.index = index == 4 ? -1 : index;
                if ((sib & 7) == 5 && mod == 0) out.disp = (int) readLE(4);
                else out.base = (sib & 7) | rexB << 3;
            } else if (rm == 5 && mod == 0) {
                out.ripRelative = mode64;
                out.disp = (int) readLE(4);
            } else {
                out.base = rm | rexB << 3;
            }
            if (mod == 1) out.disp = (byte) next();
            else if (mod == 2) out.disp = (int) readLE(4);
        }
        // rBP/rSP-based addresses default to SS (SDM Vol. 1 §3.7.4, Table 3-5) unless overridden.
        if (effectiveOverride < 0 && (out.base == 4 || out.base == 5)) {
            out.segment = SEG_SS;
        }
    }

    // ----- operands -----

    /** Fills operand slot {@code i}; false means the encoding is #UD. */
    private boolean operand(int i, int spec, int flags) {
        int size = sizeOf(OperandSpec.size(spec));
        boolean registerForm = modrm >= 0 && (modrm >> 6 == 3 || OpcodeFlags.has(flags, OpcodeFlags.REG_FORM));
        out.opSize[i] = size;
        switch (OperandSpec.method(spec)) {
            case OperandSpec.E -> { if (registerForm) gpr(i, (modrm & 7) | rexB << 3, size); else out.opKind[i] = OperandKind.MEM; }
            case OperandSpec.G -> gpr(i, (modrm >> 3 & 7) | rexR << 3, size);
            case OperandSpec.M -> { if (registerForm) return false; out.opKind[i] = OperandKind.MEM; }
            case OperandSpec.R -> { if (!registerForm) return false; gpr(i, (modrm & 7) | rexB << 3, size); }
            case OperandSpec.EST -> vectorOrMemory(i, modrm & 7, 10, registerForm);
            case OperandSpec.I -> immediate(i, OperandSpec.size(spec));
            case OperandSpec.I_SX -> { setImm(i, (byte) next()); out.opSize[i] = out.operandSize; }
            case OperandSpec.J -> relative(i, OperandSpec.size(spec));
            case OperandSpec.O -> {
                out.opKind[i] = OperandKind.MEM;
                long offset = readLE(out.addressSize);
                out.disp = offset;
            }
            case OperandSpec.A -> farPointer(i);
            case OperandSpec.S -> { return segmentRegister(i); }
            case OperandSpec.C -> { return controlRegister(i); }
            case OperandSpec.D -> {
                if (rexR != 0) return false;
                out.opKind[i] = OperandKind.DREG; out.opReg[i] = modrm >> 3 & 7;
            }
            case OperandSpec.X -> out.opKind[i] = OperandKind.STRING_SRC;
            case OperandSpec.Y -> out.opKind[i] = OperandKind.STRING_DST;
            case OperandSpec.Z -> gpr(i, (opcodeByte & 7) | rexB << 3, size);
            case OperandSpec.FIXED_GPR -> gpr(i, OperandSpec.fixedReg(spec), size);
            case OperandSpec.FIXED_SREG -> { out.opKind[i] = OperandKind.SREG; out.opReg[i] = OperandSpec.fixedReg(spec); }
            case OperandSpec.ONE -> { out.opKind[i] = OperandKind.ONE; out.opSize[i] = 1; }
            case OperandSpec.B -> gpr(i, out.vexReg, size);
            case OperandSpec.V -> vector(i, (modrm >> 3 & 7) | rexR << 3, vectorSize());
            case OperandSpec.W -> vectorOrMemory(i, (modrm & 7) | rexB << 3, vectorSize(), registerForm);
            case OperandSpec.P -> vector(i, modrm >> 3 & 7, 8);
            case OperandSpec.Q -> vectorOrMemory(i, modrm & 7, 8, registerForm);
            default -> { return false; }
        }
        return true;
    }

    /** Size in bytes for a size code (SDM Vol. 2 A.2.2). */
    private int sizeOf(int code) {
        return switch (code) {
            case OperandSpec.SZ_B -> 1;
            case OperandSpec.SZ_W -> 2;
            case OperandSpec.SZ_D -> 4;
            case OperandSpec.SZ_Q -> 8;
            case OperandSpec.SZ_V -> vsize;
            case OperandSpec.SZ_Z -> vsize == 2 ? 2 : 4;
            case OperandSpec.SZ_Y -> rexW != 0 ? 8 : 4;
            case OperandSpec.SZ_P -> 2 + vsize;
            case OperandSpec.SZ_S -> mode64 ? 10 : 6;
            case OperandSpec.SZ_A -> 2 * vsize;
            case OperandSpec.SZ_C -> mode64 ? 8 : 4;
            case OperandSpec.SZ_X -> 16;
            case OperandSpec.SZ_MW_RV -> modrm >> 6 == 3 ? vsize : 2;
            default -> 0;
        };
    }

    private int vectorSize() { return vex && out.vexL != 0 ? 32 : 16; }

    /** A general-purpose register; byte registers 4-7 without REX are AH, CH, DH, BH (SDM Vol. 2 §2.2.1.2). */
    private void gpr(int i, int reg, int size) {
        if (size == 1 && out.rex == 0 && !vex && reg >= 4 && reg < 8) {
            out.opKind[i] = OperandKind.GPR_HIGH8;
            out.opReg[i] = reg - 4;
        } else {
            out.opKind[i] = OperandKind.GPR;
            out.opReg[i] = reg;
        }
    }

    private void vector(int i, int reg, int size) {
        out.opKind[i] = OperandKind.VECTOR_REG;
        out.opReg[i] = reg;
        out.opSize[i] = size;
    }

    private void vectorOrMemory(int i, int reg, int size, boolean registerForm) {
        if (registerForm) vector(i, reg, size);
        else { out.opKind[i] = OperandKind.MEM; out.opSize[i] = size == 10 ? 0 : size; }
    }

    /** The first immediate goes to {@code imm}, a second one (ENTER, EXTRQ) to {@code imm2}. */
    private void setImm(int i, long value) {
        if (immCount++ == 0) { out.opKind[i] = OperandKind.IMM; out.imm = value; }
        else { out.opKind[i] = OperandKind.IMM2; out.imm2 = value; }
    }

    /** Iz is sign-extended only where the operand is 64 bits wide (SDM Vol. 2 §2.2.1.5). */
    private void immediate(int i, int sizeCode) {
        switch (sizeCode) {
            case OperandSpec.SZ_B -> { setImm(i, next()); out.opSize[i] = 1; }
            case OperandSpec.SZ_W -> { setImm(i, readLE(2)); out.opSize[i] = 2; }
            case OperandSpec.SZ_Z -> {
                long v = vsize == 2 ? readLE(2) : vsize == 8 ? (int) readLE(4) : readLE(4);
                setImm(i, v);
                out.opSize[i] = vsize;
            }
            default -> { setImm(i, readLE(vsize)); out.opSize[i] = vsize; }
        }
    }

    private void relative(int i, int sizeCode) {
        long rel = sizeCode == OperandSpec.SZ_B ? (byte) next() : vsize == 2 ? (short) readLE(2) : (int) readLE(4);
        out.opKind[i] = OperandKind.REL;
        out.imm = rel;
        out.opSize[i] = vsize;
    }

    /** ptr16:16 / ptr16:32: offset first, then the selector (SDM Vol. 2, JMP/CALL far). */
    private void farPointer(int i) {
        out.imm = readLE(vsize == 2 ? 2 : 4);
        out.imm2 = readLE(2);
        out.opKind[i] = OperandKind.FAR_PTR;
        out.opSize[i] = vsize == 2 ? 4 : 6;
    }

    /** Sreg in ModRM.reg: 6 and 7 are reserved, and CS cannot be loaded with MOV (SDM Vol. 2, MOV). */
    private boolean segmentRegister(int i) {
        int sreg = modrm >> 3 & 7;
        if (sreg > 5 || i == 0 && sreg == 1) return false;
        out.opKind[i] = OperandKind.SREG;
        out.opReg[i] = sreg;
        out.opSize[i] = 2;
        return true;
    }

    /** CR0, CR2-CR4 and (64-bit, REX.R) CR8 exist; others are #UD (SDM Vol. 2, MOV—Control Registers). */
    private boolean controlRegister(int i) {
        int cr = (modrm >> 3 & 7) | rexR << 3;
        if (cr == 1 || cr > 4 && cr != 8) return false;
        out.opKind[i] = OperandKind.CREG;
        out.opReg[i] = cr;
        return true;
    }

    // ----- byte fetching -----

    private int next() {
        if (pos >= MAX_LENGTH) throw TooLong.INSTANCE;
        int b = fetcher.fetch(pos) & 0xFF;
        out.bytes[pos++] = (byte) b;
        return b;
    }

    private int peek() {
        if (pos >= MAX_LENGTH) throw TooLong.INSTANCE;
        return fetcher.fetch(pos) & 0xFF;
    }

    private long readLE(int n) {
        long v = 0;
        for (int k = 0; k < n; k++) v |= (long) next() << (8 * k);
        return v;
    }
}
