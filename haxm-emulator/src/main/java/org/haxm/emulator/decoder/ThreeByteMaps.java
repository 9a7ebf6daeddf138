package org.haxm.emulator.decoder;

import static org.haxm.emulator.decoder.Mnemonic.*;
import static org.haxm.emulator.decoder.OpcodeEntry.of;
import static org.haxm.emulator.decoder.OpcodeEntry.select;
import static org.haxm.emulator.decoder.VectorEntries.*;

import org.haxm.emulator.decoder.OpcodeEntry.Selector;

/**
 * The three-byte maps 0F 38 and 0F 3A (SDM Vol. 2, Tables ). Every 0F 38 instruction has
 * a ModRM byte; every 0F 3A instruction has a ModRM byte and an imm8. General-purpose cells (MOVBE,
 * CRC32, ADCX/ADOX, INVEPT/INVVPID/INVPCID) have full operand detail.
 */
final class ThreeByteMaps {
    private ThreeByteMaps() {}

    static OpcodeEntry[] build0F38() {
        OpcodeEntry[] t = new OpcodeEntry[256];
        java.util.Arrays.fill(t, OpcodeEntry.UD);
        range(t, 0x00, 0x0B, NP66, false, true);
        t[0x10] = sse(P66, false, false);
        range(t, 0x14, 0x15, P66, false, false);
        t[0x17] = sse(P66, false, false);
        range(t, 0x1C, 0x1E, NP66, false, true);
        range(t, 0x20, 0x25, P66, false, false);
        range(t, 0x28, 0x2B, P66, false, false);
        t[0x2A] = memoryOnly(sse(P66, false, false));   // MOVNTDQA m128
        range(t, 0x30, 0x35, P66, false, false);
        range(t, 0x37, 0x41, P66, false, false);
        range(t, 0xC8, 0xCD, NP, false, false);
        t[0xCF] = sse(P66, false, false);
        range(t, 0xDB, 0xDF, P66, false, false);
        // VMX/process-context invalidation: 66 prefix, memory descriptor (SDM Vol. 3C §30.3).
        t[0x80] = select(Selector.PREFIX, 0, OpcodeEntry.UD, of(INVEPT, "Gc,Mdq"), OpcodeEntry.UD, OpcodeEntry.UD);
        t[0x81] = select(Selector.PREFIX, 0, OpcodeEntry.UD, of(INVVPID, "Gc,Mdq"), OpcodeEntry.UD, OpcodeEntry.UD);
        t[0x82] = select(Selector.PREFIX, 0, OpcodeEntry.UD, of(INVPCID, "Gc,Mdq"), OpcodeEntry.UD, OpcodeEntry.UD);
        // MOVBE (no prefix or 66 as operand size) and CRC32 (F2; 66 F2 gives a 16-bit source).
        t[0xF0] = select(Selector.PREFIX, 0, select(Selector.MOD, 0, of(MOVBE, "Gv,Mv"), null), null,
            OpcodeEntry.UD, of(CRC32, "Gy,Eb"));
        t[0xF1] = select(Selector.PREFIX, 0, select(Selector.MOD, 0, of(MOVBE, "Mv,Gv"), null), null,
            OpcodeEntry.UD, of(CRC32, "Gy,Ev"));
        t[0xF6] = select(Selector.PREFIX, 0, OpcodeEntry.UD, of(ADCX, "Gy,Ey"), of(ADOX, "Gy,Ey"), OpcodeEntry.UD);
        return t;
    }

    static OpcodeEntry[] build0F3A() {
        OpcodeEntry[] t = new OpcodeEntry[256];
        java.util.Arrays.fill(t, OpcodeEntry.UD);
        range(t, 0x08, 0x0E, P66, true, false);
        t[0x0F] = sse(NP66, true, true);
        range(t, 0x14, 0x17, P66, true, false);
        range(t, 0x20, 0x22, P66, true, false);
        range(t, 0x40, 0x42, P66, true, false);
        t[0x44] = sse(P66, true, false);
        range(t, 0x60, 0x63, P66, true, false);
        t[0xCC] = sse(NP, true, false);
        range(t, 0xCE, 0xCF, P66, true, false);
        t[0xDF] = sse(P66, true, false);
        return t;
    }

    private static void range(OpcodeEntry[] t, int from, int to, int mask, boolean imm8, boolean mmx) {
        for (int op = from; op <= to; op++) t[op] = sse(mask, imm8, mmx);
    }
}
