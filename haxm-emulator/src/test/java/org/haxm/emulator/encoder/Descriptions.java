package org.haxm.emulator.encoder;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * jqwik generators of {@link Instruction} descriptions: any form of {@link Forms#ALL} valid in the
 * chosen mode, every operand size and address size it allows, registers including R8-R15,
 * SPL..DIL and AH..BH, and every addressing form (register, [base], [base+index*scale+disp8/32],
 * no-base SIB, RIP-relative, the eight 16-bit forms), plus segment overrides, REP, redundant REX
 * and any legacy-prefix order.
 */
final class Descriptions {
    private Descriptions() {}

    /** Encodable descriptions in 16-, 32- and 64-bit code. */
    static Arbitrary<Instruction> any() {
        return Arbitraries.randomValue(Descriptions::random).filter(Encoder::encodable);
    }

    /** Encodable descriptions of the given forms in 64-bit code. */
    static Arbitrary<Instruction> in64(List<Form> forms) {
        return Arbitraries.randomValue(r -> random(r, 64, forms.get(r.nextInt(forms.size())))).filter(Encoder::encodable);
    }

    static Instruction random(Random r) {
        int codeSize = new int[] {16, 32, 64}[r.nextInt(3)];
        List<Form> forms = Forms.ALL.stream().filter(f -> f.modes().contains(codeSize)).toList();
        return random(r, codeSize, forms.get(r.nextInt(forms.size())));
    }

    static Instruction random(Random r, int codeSize, Form form) {
        int[] sizes = form.sizes().allowed(codeSize);
        int os = sizes[r.nextInt(sizes.length)];
        int def = Encoder.defaultAddressSize(codeSize);
        int as = r.nextInt(4) != 0 ? def : codeSize == 64 ? 4 : codeSize == 32 ? 2 : 4;
        boolean mode64 = codeSize == 64;
        List<Operand> ops = new ArrayList<>();
        for (Spec s : form.specs()) {
            ops.add(switch (s.method()) {
                case Spec.FIXED -> Operand.Reg.of(s.fixedReg());
                case Spec.ONE, 'X', 'Y' -> new Operand.Imm(0);     // implicit: nothing to encode
                case 'I', Spec.IMM_SX, 'J' -> new Operand.Imm(immediate(r));
                case 'M' -> memory(r, codeSize, as);
                case 'E' -> r.nextBoolean() ? register(r, s, os, mode64, form) : memory(r, codeSize, as);
                default -> register(r, s, os, mode64, form);
            });
        }
        // XCHG rAX, rAX without REX.B is NOP (SDM Vol. 2B "NOP"), a different instruction.
        if (form.plusReg() && form.mnemonic() == org.haxm.emulator.decoder.Mnemonic.XCHG
            && ops.get(0) instanceof Operand.Reg z && z.number() == 0) {
            ops.set(0, Operand.Reg.of(1 + r.nextInt(7)));
        }
        boolean string = form.specs().stream().anyMatch(s -> s.method() == 'X' || s.method() == 'Y');
        return new Instruction(form, codeSize, os, as, List.copyOf(ops), r.nextInt(3) == 0 ? r.nextInt(6) : -1,
            string && r.nextInt(3) == 0, r.nextInt(5) == 0, mode64 && !form.vex() && r.nextInt(6) == 0, r.nextInt());
    }

    /** Raw immediate bits: small values, boundaries and random ones. */
    static long immediate(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextInt(256) - 128;
            case 1 -> new long[] {0, 1, -1, 0x7F, 0x80, 0x7FFF, 0x8000, 0x7FFF_FFFF, 0x8000_0000L, Long.MIN_VALUE}[r.nextInt(10)];
            default -> r.nextLong();
        };
    }

    static Operand.Reg register(Random r, Spec s, int os, boolean mode64, Form form) {
        int n = r.nextInt(mode64 ? 16 : 8);
        boolean high = s.width(os) == 1 && !form.vex() && n >= 4 && n < 8 && r.nextBoolean();
        return new Operand.Reg(n, high);
    }

    static Operand memory(Random r, int codeSize, int addressSize) {
        if (addressSize == 2) {
            int mod = r.nextInt(3), rm = r.nextInt(8);
            long disp = mod == 1 ? r.nextInt(256) - 128 : mod == 2 || rm == 6 ? r.nextInt(65536) - 32768 : 0;
            return new Operand.Mem16(rm, mod, disp);
        }
        int regs = codeSize == 64 ? 16 : 8;
        if (codeSize == 64 && r.nextInt(7) == 0) return new Operand.RipRelative(r.nextInt());
        int base = r.nextInt(8) == 0 ? -1 : r.nextInt(regs);
        int index = r.nextInt(5) < 2 ? -1 : r.nextInt(regs);
        if (index == 4) index = -1;                     // RSP cannot be an index (SDM Vol. 2 Table 2-3)
        int scale = index < 0 ? 1 : 1 << r.nextInt(4);
        int dispBytes = base < 0 ? 4 : new int[] {0, 1, 4}[r.nextInt(3)];
        long disp = dispBytes == 1 ? r.nextInt(256) - 128 : dispBytes == 4 ? r.nextInt() : 0;
        return new Operand.Mem32(base, index, scale, disp, dispBytes, r.nextInt(5) == 0);
    }
}
