package org.haxm.emulator.decoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.haxm.emulator.disasm.Disassembler;

/**
 * Compares the decoder with objdump over a batch. Each instruction the decoder accepts is placed in
 * its own 32-byte slot padded with NOPs (0x90): even if objdump disagrees on a length, the garbage it
 * decodes cannot cross the slot boundary (15 + 15 < 32), so every slot is judged on its own.
 */
final class ObjdumpComparison {
    static final int SLOT = 32;

    /** Mnemonics compared by name: the general-purpose ones (generic vector/x87 names are skipped). */
    private static final Set<Mnemonic> NOT_COMPARED = Set.of(Mnemonic.X87, Mnemonic.SSE, Mnemonic.MMX, Mnemonic.AVX,
        // Hint space: binutils prints MPX (bndldx...) or "nop" depending on prefixes.
        Mnemonic.NOP, Mnemonic.PREFETCH);

    int textCompared, textMatches;
    private final Disassembler disassembler = new Disassembler();
    int decoded, rejected, x87Reserved, compared, objdumpBad, lengthMismatches, mnemonicMismatches, mnemonicsCompared;
    final List<String> samples = new ArrayList<>();

    void run(List<byte[]> candidates, int codeSize) {
        Decoder decoder = new Decoder();
        DecodedInstruction insn = new DecodedInstruction();
        List<DecodedInstruction> accepted = new ArrayList<>();
        for (byte[] c : candidates) {
            decoder.decode(off -> c[off] & 0xFF, codeSize, insn);
            if (insn.fault != DecodedInstruction.FAULT_NONE) { rejected++; continue; }
            DecodedInstruction copy = new DecodedInstruction();
            copy.copyFrom(insn);
            accepted.add(copy);
        }
        decoded += accepted.size();
        byte[] image = new byte[accepted.size() * SLOT];
        Arrays.fill(image, (byte) 0x90);
        for (int i = 0; i < accepted.size(); i++) {
            System.arraycopy(accepted.get(i).bytes, 0, image, i * SLOT, accepted.get(i).length);
        }
        Map<Integer, Objdump.Line> lines = Objdump.disassemble(image, codeSize);
        for (int i = 0; i < accepted.size(); i++) judge(accepted.get(i), lines.get(i * SLOT), codeSize, i * SLOT);
    }

    private void judge(DecodedInstruction insn, Objdump.Line line, int codeSize, long address) {
        String hex = hex(insn);
        if (line == null) { lengthMismatches++; sample("missing line", hex, codeSize, ""); return; }
        if (line.text().contains("(bad)") && insn.mnemonic == Mnemonic.X87) {
            // Reserved x87 register forms (e.g. D9 D8, DD C8): real processors run them as aliases
            // (FSTP1, FXCH4...); binutils prints (bad). Decoded for length only, so not compared.
            x87Reserved++;
            return;
        }
        if (line.text().contains("(bad)")) { objdumpBad++; sample("objdump (bad)", hex, codeSize, line.text()); return; }
        compared++;
        if (line.length() != insn.length) {
            lengthMismatches++;
            sample("LENGTH ours=" + insn.length + " objdump=" + line.length(), hex, codeSize, line.text());
            return;
        }
        if (NOT_COMPARED.contains(insn.mnemonic)) return;
        mnemonicsCompared++;
        String ours = ObjdumpNames.expected(insn, codeSize);
        String theirs = line.mnemonic();
        if (!ObjdumpNames.same(ours, theirs)) {
            mnemonicMismatches++;
            sample("MNEMONIC ours=" + ours, hex, codeSize, line.text());
            return;
        }
        textCompared++;
        String ourText = disassembler.format(insn, address).replaceAll("\\s+", " ");
        String theirText = IGNORED_PREFIX_WORDS.matcher(line.text().replaceAll("\\s+", " ")).replaceAll("");
        if (ourText.equals(theirText)) textMatches++;
        else if (textSamples.size() < 10) textSamples.add(hex + " | ours: " + ourText + " | objdump: " + theirText);
    }

    /** Prefix words objdump prints for prefixes that do not apply (the disassembler omits them). */
    private static final Pattern IGNORED_PREFIX_WORDS = Pattern.compile(
        "\\b(rex(\\.[WRXB]+)?|data16|data32|addr16|addr32|bnd|xacquire|xrelease|notrack|(cs|ds|es|ss|fs|gs)(?= )"
        + "|(repz|repnz)(?! (cmps|scas|movs|stos|lods|ins|outs)))\\s");
    final List<String> textSamples = new ArrayList<>();

    private void sample(String what, String hex, int codeSize, String text) {
        if (samples.size() < 40) samples.add(codeSize + "-bit " + what + " [" + hex + "] objdump: " + text);
    }

    static String hex(DecodedInstruction insn) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < insn.length; k++) sb.append(String.format("%02x ", insn.bytes[k] & 0xFF));
        return sb.toString().trim();
    }

    /** Adds another comparison's counters to this one. */
    void add(ObjdumpComparison o) {
        decoded += o.decoded; rejected += o.rejected; x87Reserved += o.x87Reserved; compared += o.compared;
        objdumpBad += o.objdumpBad; lengthMismatches += o.lengthMismatches;
        mnemonicMismatches += o.mnemonicMismatches; mnemonicsCompared += o.mnemonicsCompared;
        textCompared += o.textCompared; textMatches += o.textMatches;
    }

    String summary() {
        return String.format("decoded=%d rejected(#UD/#GP)=%d x87Reserved=%d compared=%d objdumpBad=%d lengthMismatches=%d "
            + "mnemonicsCompared=%d mnemonicMismatches=%d textIdentical=%d/%d", decoded, rejected, x87Reserved,
            compared, objdumpBad, lengthMismatches, mnemonicsCompared, mnemonicMismatches, textMatches, textCompared);
    }
}
