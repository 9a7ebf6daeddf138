package org.haxm.emulator.decoder;

import static org.haxm.emulator.decoder.Mnemonic.*;
import static org.haxm.emulator.decoder.OpcodeEntry.of;
import static org.haxm.emulator.decoder.OpcodeEntry.select;

import org.haxm.emulator.decoder.OpcodeEntry.Selector;

/**
 * Opcode maps reached through a VEX prefix (C4/C5, SDM Vol. 2 §2.3). VEX.pp plays the role of the
 * mandatory prefix (00 none, 01 66, 10 F3, 11 F2 — the order of {@link Selector#PREFIX}).
 *
 * <p>The general-purpose BMI1/BMI2 instructions (SDM Vol. 2 §2.5, Table 2-28) are decoded with full
 * operand detail. Every other cell decodes as the generic {@link Mnemonic#AVX} with the length rules
 * of the VEX maps: ModRM always (except VZEROUPPER/VZEROALL, 0F 77), imm8 for all of map 0F3A and
 * for 0F 70-73, C2, C4-C6 (SDM Vol. 2, Appendix A.4).
 */
final class VexMap {
    private VexMap() {}

    /** Tables indexed [map][opcode], map 1 = 0F, 2 = 0F38, 3 = 0F3A; map 0 is unused (#UD). */
    static OpcodeEntry[][] build() {
        OpcodeEntry[][] maps = new OpcodeEntry[4][256];
        java.util.Arrays.fill(maps[0], OpcodeEntry.UD);
        OpcodeEntry modrm = of(AVX, "V,W"), modrmImm = of(AVX, "V,W,Ib");
        for (int op = 0; op < 256; op++) {
            boolean imm = op >= 0x70 && op <= 0x73 || op == 0xC2 || op >= 0xC4 && op <= 0xC6;
            maps[1][op] = !isVexMap1Vector(op) ? OpcodeEntry.UD : imm ? modrmImm : modrm;
            maps[2][op] = modrm;
            maps[3][op] = modrmImm;
        }
        maps[1][0x77] = of(AVX, "");
        // VEX.0F AE: VLDMXCSR (/2) and VSTMXCSR (/3), memory only.
        maps[1][0xAE] = select(Selector.MOD, 0, select(Selector.REG, 0, null, null, of(AVX, "Md"), of(AVX, "Md"),
            null, null, null, null), null);
        OpcodeEntry ud = OpcodeEntry.UD;
        maps[2][0xF2] = select(Selector.PREFIX, 0, of(ANDN, "Gy,By,Ey"), ud, ud, ud);
        maps[2][0xF3] = select(Selector.PREFIX, 0,
            select(Selector.REG, 0, null, of(BLSR, "By,Ey"), of(BLSMSK, "By,Ey"), of(BLSI, "By,Ey"),
                null, null, null, null), ud, ud, ud);
        maps[2][0xF5] = select(Selector.PREFIX, 0, of(BZHI, "Gy,Ey,By"), ud, of(PEXT, "Gy,By,Ey"), of(PDEP, "Gy,By,Ey"));
        maps[2][0xF6] = select(Selector.PREFIX, 0, ud, ud, ud, of(MULX, "Gy,By,Ey"));
        maps[2][0xF7] = select(Selector.PREFIX, 0, of(BEXTR, "Gy,Ey,By"), of(SHLX, "Gy,Ey,By"),
            of(SARX, "Gy,Ey,By"), of(SHRX, "Gy,Ey,By"));
        maps[3][0xF0] = select(Selector.PREFIX, 0, ud, ud, ud, of(RORX, "Gy,Ey,Ib"));
        return maps;
    }

    /**
     * The VEX.0F opcodes: the SSE rows of the legacy 0F map (10-17, 28-2F, 50-7F, C2, C4-C6, D0-FE).
     * Other VEX.0F cells are #UD on a processor without AVX-512 (whose mask instructions use
     * VEX.0F 41-4B and 90-99).
     */
    private static boolean isVexMap1Vector(int op) {
        return op >= 0x10 && op <= 0x17 || op >= 0x28 && op <= 0x2F || op >= 0x50 && op <= 0x7F
            || op == 0xC2 || op >= 0xC4 && op <= 0xC6 || op >= 0xD0 && op <= 0xFE;
    }

    /** True for the general-purpose (BMI) instructions, which require VEX.L = 0. */
    static boolean isGeneralPurpose(Mnemonic m) {
        return m != AVX && m != INVALID;
    }
}
