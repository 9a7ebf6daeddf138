package org.haxm.emulator.exec;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Mnemonic;

/**
 * Decimal (BCD) adjustment: DAA, DAS, AAA, AAS, AAM, AAD (SDM Vol. 1 §7.3.2.5; #UD in 64-bit
 * mode, which the decoder reports). Flags the SDM leaves undefined get the values of P6-family
 * Intel cores (docs/undefined-flags.md): DAA/DAS clear OF; AAA/AAS clear OF and set SF, ZF, PF
 * from AL; AAM/AAD clear OF, AF and CF.
 */
final class Bcd {
    private Bcd() {}

    static void register(Handler[] t) {
        for (Mnemonic m : new Mnemonic[] {Mnemonic.DAA, Mnemonic.DAS, Mnemonic.AAA, Mnemonic.AAS, Mnemonic.AAM, Mnemonic.AAD}) {
            t[m.ordinal()] = Bcd::adjust;
        }
    }

    private static final long CF = CpuState.CF, AF = CpuState.AF, OF = CpuState.OF, ZSP = CpuState.ZF | CpuState.SF | CpuState.PF;

    static boolean adjust(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        long f = s.rflags();
        boolean cf = (f & CF) != 0, af = (f & AF) != 0;
        int al = (int) (s.gpr[0] & 0xFF), ah = (int) ((s.gpr[0] >>> 8) & 0xFF);
        switch (insn.mnemonic) {
            case DAA: case DAS: {
                boolean add = insn.mnemonic == Mnemonic.DAA;
                int oldAl = al;
                boolean newCf = false, newAf = false;
                if ((al & 0xF) > 9 || af) {
                    int v = add ? al + 6 : al - 6;
                    newCf = cf || (v & ~0xFF) != 0; // carry or borrow out of AL
                    al = v & 0xFF;
                    newAf = true;
                }
                if (oldAl > 0x99 || cf) {
                    al = (add ? al + 0x60 : al - 0x60) & 0xFF;
                    newCf = true;
                }
                Operands.writeGpr(s, 0, 1, al);
                FlagsUnit.set(s, CF | AF | ZSP | OF, (newCf ? CF : 0) | (newAf ? AF : 0) | FlagsUnit.zsp(al, 1));
                break;
            }
            case AAA: case AAS: {
                boolean adjust = (al & 0xF) > 9 || af;
                int ax = (ah << 8) | al;
                if (adjust && insn.mnemonic == Mnemonic.AAA) ax = (ax + 0x106) & 0xFFFF;
                if (adjust && insn.mnemonic == Mnemonic.AAS) {
                    ax = (ax - 6) & 0xFFFF;                                  // SDM: AX := AX - 6; AH := AH - 1
                    ax = (ax & 0xFF) | ((((ax >>> 8) - 1) & 0xFF) << 8);
                }
                ax = (ax & 0xFF00) | (ax & 0x0F);
                Operands.writeGpr(s, 0, 2, ax);
                FlagsUnit.set(s, CF | AF | ZSP | OF, (adjust ? CF | AF : 0) | FlagsUnit.zsp(ax & 0xFF, 1));
                break;
            }
            case AAM: {
                int base = (int) (insn.imm & 0xFF);
                if (base == 0) throw cpu.fault(MulDiv.DE, -1);
                int q = al / base, r = al % base;
                Operands.writeGpr(s, 0, 2, (q << 8) | r);
                FlagsUnit.set(s, ZSP | OF | AF | CF, FlagsUnit.zsp(r, 1));
                break;
            }
            default: { // AAD
                int base = (int) (insn.imm & 0xFF);
                int r = (al + ah * base) & 0xFF;
                Operands.writeGpr(s, 0, 2, r);
                FlagsUnit.set(s, ZSP | OF | AF | CF, FlagsUnit.zsp(r, 1));
            }
        }
        return Handler.NEXT;
    }
}
