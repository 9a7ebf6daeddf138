package org.haxm.emulator.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.haxm.emulator.CpuException;
import org.haxm.emulator.decoder.DecodedInstruction;

/**
 * {@link Executor} calls the most frequent handlers directly instead of through its table (so
 * the JIT can inline them). Both ways must give the same result: for random register values and
 * a random flag-setting instruction before it, every directly dispatched mnemonic is executed
 * once through {@link Executor#execute} and once through the table only, and the registers, RIP,
 * RFLAGS and the stack memory must agree.
 */
class ExecutorDispatchTest {
    /** 64-bit encodings of the directly dispatched mnemonics (objdump-checked by hand). */
    static final String[] DIRECT = {
        "4801d8", "4811d8", "4829d8", "4819d8", "4821d8", "4809d8", "4831d8", "4839d8", "4885d8", // ADD..TEST rax,rbx
        "6601d8", "00d8", "00fc",                                                                 // add ax,bx / al,bl / ah,bh
        "48ffc0", "48ffc8", "48f7d8", "48f7d0", "fec3",                                           // inc/dec/neg/not rax, inc bl
        "4889442408", "488b442408", "89c3", "b878563412",                                         // mov forms
        "0fb6c3", "480fbec3", "4863c3",                                                           // movzx, movsx, movsxd
        "488d445810",                                                                             // lea rax,[rax+rbx*2+0x10]
        "7010", "7110", "7210", "7310", "7410", "7510", "7610", "7710",                           // Jcc all 16
        "7810", "7910", "7a10", "7b10", "7c10", "7d10", "7e10", "7ff0",
        "eb10", "e810000000", "c3", "50", "5b"                                                    // jmp, call, ret, push, pop
    };
    /** Flag-setting instructions run first, so the Jcc see both lazy and settled flags. */
    static final String[] PRELUDE = {"90", "4839d8", "4801d8", "4811d8", "38d8", "6629d8", "48ffc8", "fec0", "4885c0",
        "48d1e0", "f9", "9e"};

    @Property(tries = 600)
    void directDispatchEqualsTableDispatch(@ForAll @IntRange(min = 0, max = 1000) int whichSeed,
                                           @ForAll @IntRange(min = 0, max = 1000) int preludeSeed,
                                           @ForAll long rax, @ForAll long rbx, @ForAll int flags) {
        int which = whichSeed % DIRECT.length, prelude = preludeSeed % PRELUDE.length;
        TestMachine direct = machine(PRELUDE[prelude] + DIRECT[which], rax, rbx, flags);
        TestMachine table = machine(PRELUDE[prelude] + DIRECT[which], rax, rbx, flags);
        String f1 = run(direct, false), f2 = run(table, true);
        assertEquals(f2, f1, "fault");
        assertArrayEquals(table.state.gpr, direct.state.gpr, "registers");
        assertEquals(table.state.rip, direct.state.rip, "rip");
        assertEquals(table.state.rflags(), direct.state.rflags(), "rflags");
        for (long a = 0x7FF0; a < 0x8010; a += 8) assertEquals(table.peek(a, 8), direct.peek(a, 8), "stack at " + a);
    }

    static TestMachine machine(String code, long rax, long rbx, int flags) {
        TestMachine m = TestMachine.long64();
        m.code(code);
        m.reg(0, rax).reg(3, rbx).reg(1, rax ^ rbx);
        m.poke(0x8000, 8, 0x1234);
        m.poke(0x8008, 8, rbx);
        m.flags(flags & 0x8D5L);
        return m;
    }

    /** Executes the prelude and the instruction; returns the fault vector, or "" if none. */
    static String run(TestMachine m, boolean viaTable) {
        try {
            for (int i = 0; i < 2; i++) {
                DecodedInstruction insn = m.cpu.decodeAt(m.state.rip);
                if (viaTable) m.executor.executeViaTable(m.cpu, insn);
                else m.executor.execute(m.cpu, insn);
            }
            return "";
        } catch (CpuException e) {
            return "#" + e.vector;
        }
    }
}
