package org.haxm.emulator.decoder;

import java.util.Locale;
import java.util.Map;

/**
 * Where binutils spells a mnemonic differently from the SDM constant name. Each entry is a naming
 * difference only, not a decoding difference.
 */
final class ObjdumpNames {
    private ObjdumpNames() {}

    private static final Map<String, String> ALIASES = Map.ofEntries(
        Map.entry("jmpf", "jmp"), Map.entry("callf", "call"), Map.entry("int1", "int1"),
        Map.entry("sal", "shl"));

    /** Our mnemonic spelled as objdump would print it. */
    static String expected(DecodedInstruction insn, int codeSize) {
        String name = insn.mnemonic.name().toLowerCase(Locale.ROOT);
        return ALIASES.getOrDefault(name, name);
    }

    /**
     * Instructions whose operand size binutils appends as a suffix (pushw, retfq, calld, sgdtd,
     * iret/iretd...) while the SDM name is the same for every size.
     */
    private static final java.util.Set<String> SIZE_SUFFIXED = java.util.Set.of("ret", "retf", "call", "jmp",
        "leave", "enter", "push", "pop", "pushf", "popf", "pusha", "popa", "iret", "sgdt", "sidt", "lgdt", "lidt",
        "sysret", "sysexit");

    /**
     * Encodings where a newer extension reuses an older instruction's encoding with a mandatory prefix
     * that older processors ignore; the CPU model implements the older behaviour (the SDM's
     * compatibility rule), binutils prints the newer name. Key: our name + "/" + objdump's name.
     */
    private static final java.util.Set<String> NEWER_EXTENSION = java.util.Set.of(
        "wbinvd/wbnoinvd",                        // F3 0F 09
        "lfence/incsspd", "lfence/incsspq",        // F3 0F AE /5 (CET)
        "mfence/tpause", "mfence/umonitor", "mfence/umwait"); // 66/F3/F2 0F AE /6 (WAITPKG)

    static String canonical(String name) {
        if (name.equals("movabs")) return "mov";
        // REX.W forms of the state save/restore instructions: fxsave64, xrstor64...
        if (name.endsWith("64") && (name.startsWith("fx") || name.startsWith("xs") || name.startsWith("xr"))) {
            return name.substring(0, name.length() - 2);
        }
        if (SIZE_SUFFIXED.contains(name)) return name;
        if (name.length() > 1 && "wdq".indexOf(name.charAt(name.length() - 1)) >= 0) {
            String base = name.substring(0, name.length() - 1);
            if (SIZE_SUFFIXED.contains(base)) return base;
        }
        return name;
    }

    static boolean same(String ours, String theirs) {
        return canonical(ours).equals(canonical(theirs)) || NEWER_EXTENSION.contains(ours + "/" + theirs);
    }
}
