package org.haxm.examples.vmm;

import java.util.LinkedHashMap;
import java.util.Map;
import org.haxm.api.HaxVcpuState;

/**
 * The register dump of {@code haxm run --dump-regs}: one flat JSON object, lower-case keys,
 * values as {@code "0x..."} hex strings. Segment registers are given by their selectors.
 */
public final class RegisterDump {

    /** General-purpose register names in {@code vcpu_state_t} order (the x86 register encoding order). */
    static final String[] GPR_NAMES = {
        "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
    };

    private RegisterDump() {
    }

    /** The members of the dump, in a stable order. */
    public static Map<String, String> of(HaxVcpuState s, long efer) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < GPR_NAMES.length; i++) {
            m.put(GPR_NAMES[i], hex(s.regs[i]));
        }
        m.put("rip", hex(s.rip));
        m.put("rflags", hex(s.rflags));
        m.put("cs", hex(s.cs.selector));
        m.put("ds", hex(s.ds.selector));
        m.put("es", hex(s.es.selector));
        m.put("fs", hex(s.fs.selector));
        m.put("gs", hex(s.gs.selector));
        m.put("ss", hex(s.ss.selector));
        m.put("cr0", hex(s.cr0));
        m.put("cr2", hex(s.cr2));
        m.put("cr3", hex(s.cr3));
        m.put("cr4", hex(s.cr4));
        m.put("efer", hex(efer));
        return m;
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
