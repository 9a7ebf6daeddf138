package org.haxm.emulator.encoder;

import static org.haxm.emulator.cpu.CpuState.AF;
import static org.haxm.emulator.cpu.CpuState.CF;
import static org.haxm.emulator.cpu.CpuState.OF;
import static org.haxm.emulator.cpu.CpuState.STATUS_FLAGS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.decoder.Mnemonic;

/**
 * DAA, DAS, AAA, AAS, AAM, AAD in 32-bit code against the SDM's Operation sections, with the
 * undefined flags of docs/undefined-flags.md (OF = 0 everywhere; SF/ZF/PF from AL for AAA/AAS;
 * AF = CF = 0 for AAM/AAD). Every AL/AH/AF/CF combination that matters is reachable.
 */
class BcdReferenceProperties {
    private static final Mnemonic[] OPS = {Mnemonic.DAA, Mnemonic.DAS, Mnemonic.AAA, Mnemonic.AAS, Mnemonic.AAM, Mnemonic.AAD};

    @Property(tries = 2000)
    void decimalAdjustMatchesTheSdm(@ForAll @IntRange(min = 0, max = 5) int which, @ForAll @IntRange(min = 0, max = 0xFFFF) int ax,
                                    @ForAll boolean af, @ForAll boolean cf, @ForAll @IntRange(min = 0, max = 255) int imm,
                                    @ForAll @IntRange(min = 0, max = 0xFF) int otherFlags) {
        Mnemonic op = OPS[which];
        Form form = Forms.ALL.stream().filter(f -> f.mnemonic() == op).findFirst().orElseThrow();
        List<Operand> operands = form.specs().isEmpty() ? List.of() : List.of(new Operand.Imm(imm));
        byte[] code = Encoder.encode(new Instruction(form, 32, 1, 4, operands, -1, false, false, false, 0));
        long flagsIn = CpuState.RESERVED1 | (otherFlags & STATUS_FLAGS & ~(AF | CF)) | (af ? AF : 0) | (cf ? CF : 0);

        FlatMachine m = new FlatMachine(32);
        m.state.gpr[0] = 0x1234_0000L | ax;
        m.state.setRflags(flagsIn);
        int vector = m.execute(code);

        long[] expected = model(op, ax, af, cf, imm & 0xFF, flagsIn);
        String what = op + String.format(" ax=%04x af=%b cf=%b imm=%02x", ax, af, cf, imm);
        if (expected == null) {                               // AAM 0: #DE, nothing changed
            assertEquals(0, vector, what);
            assertEquals(0x1234_0000L | ax, m.state.gpr[0], what);
            return;
        }
        assertEquals(-1, vector, what);
        assertEquals(String.format("%08x", 0x1234_0000L | expected[0]), String.format("%08x", m.state.gpr[0]), what + " EAX");
        assertEquals(AluReferenceProperties.names(expected[1] & STATUS_FLAGS),
            AluReferenceProperties.names(m.state.rflags() & STATUS_FLAGS), what + " flags");
    }

    /** {AX, RFLAGS} after the instruction, or null for #DE. Written from SDM Vol. 2A "DAA" ... "AAD". */
    static long[] model(Mnemonic op, int ax, boolean af, boolean cf, int imm, long flags) {
        int al = ax & 0xFF, ah = ax >> 8;
        boolean newAf = af, newCf = cf;
        switch (op) {
            case DAA, DAS -> {
                int oldAl = al;
                boolean oldCf = cf;
                newCf = false;
                if ((al & 0xF) > 9 || af) {
                    int v = op == Mnemonic.DAA ? al + 6 : al - 6;
                    newCf = oldCf || v > 0xFF || v < 0;        // carry / borrow out of AL
                    al = v & 0xFF;
                    newAf = true;
                } else {
                    newAf = false;
                }
                if (oldAl > 0x99 || oldCf) {
                    al = (op == Mnemonic.DAA ? al + 0x60 : al - 0x60) & 0xFF;
                    newCf = true;
                } else if (op == Mnemonic.DAA) {
                    newCf = false;
                }
            }
            case AAA, AAS -> {
                if ((al & 0xF) > 9 || af) {
                    int v = op == Mnemonic.AAA ? ax + 0x106 : ax - 6 - 0x100; // AAS: AX - 6, then AH - 1
                    ah = v >> 8 & 0xFF;
                    al = v & 0xFF;
                    newAf = newCf = true;
                } else {
                    newAf = newCf = false;
                }
                al &= 0xF;
            }
            case AAM -> {
                if (imm == 0) return null;
                ah = al / imm;
                al = al % imm;
                newAf = newCf = false;
            }
            default -> { // AAD
                al = (al + ah * imm) & 0xFF;
                ah = 0;
                newAf = newCf = false;
            }
        }
        // SF, ZF, PF from AL for all six (defined for DAA/DAS/AAM/AAD, undefined-and-chosen for
        // AAA/AAS); OF undefined everywhere: 0.
        long f = flags & ~(STATUS_FLAGS) | (newAf ? AF : 0) | (newCf ? CF : 0) | ReferenceAlu.szp(al, 8);
        f &= ~OF;
        return new long[] {(long) ah << 8 | al, f};
    }
}
