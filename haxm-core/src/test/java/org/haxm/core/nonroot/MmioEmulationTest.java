package org.haxm.core.nonroot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.haxm.emulator.InstructionAbort;
import org.junit.jupiter.api.Test;

/** The replay protocol of {@link MmioEmulation}: reads answered one per attempt, writes handed out after completion. */
class MmioEmulationTest {

    @Test
    void anUnansweredReadAbandonsTheAttemptAndNamesTheAccess() {
        MmioEmulation m = new MmioEmulation();
        m.begin();
        assertThrows(InstructionAbort.class, () -> m.read(0xFEE0_0030L, 4));
        assertTrue(m.readPending());
        assertEquals(0xFEE0_0030L, m.pendingReadGpa());
        assertEquals(4, m.pendingReadSize());
    }

    @Test
    void answeredReadsAreReplayedInProgramOrderMaskedToTheirSize() {
        MmioEmulation m = new MmioEmulation();
        m.begin();
        assertThrows(InstructionAbort.class, () -> m.read(0x1000, 2));
        m.answerRead(0xABCD_1234L);                      // only 2 bytes count
        assertFalse(m.readPending());

        m.startAttempt();                                // execute the instruction again
        assertEquals(0x1234, m.read(0x1000, 2));
        assertThrows(InstructionAbort.class, () -> m.read(0x2000, 8));
        assertEquals(0x2000, m.pendingReadGpa());
        m.answerRead(-2L);

        m.startAttempt();
        assertEquals(0x1234, m.read(0x1000, 2));
        assertEquals(-2L, m.read(0x2000, 8), "8-byte reads keep all 64 bits");
        assertFalse(m.readPending());
    }

    @Test
    void writesOfAnAbandonedAttemptAreDroppedAndCompletedOnesDeliveredInOrder() {
        MmioEmulation m = new MmioEmulation();
        m.begin();
        m.write(0x3000, 4, 0x1111);
        assertThrows(InstructionAbort.class, () -> m.read(0x4000, 1));   // the attempt stops here
        m.answerRead(0x7F);

        m.startAttempt();
        m.write(0x3000, 4, 0x1_2222_3333L);   // masked to 4 bytes
        assertEquals(0x7F, m.read(0x4000, 1));
        m.write(0x3008, 1, 0x1FF);            // masked to 1 byte
        assertTrue(m.hasUndeliveredWrite());
        assertEquals(0x3000, m.nextWriteGpa());
        assertEquals(4, m.nextWriteSize());
        assertEquals(0x2222_3333L, m.nextWriteValue());
        m.writeDelivered();
        assertEquals(0x3008, m.nextWriteGpa());
        assertEquals(1, m.nextWriteSize());
        assertEquals(0xFF, m.nextWriteValue());
        m.writeDelivered();
        assertFalse(m.hasUndeliveredWrite(), "the first attempt's write 0x1111 never reaches the caller");
    }

    @Test
    void beginForgetsThePreviousInstruction() {
        MmioEmulation m = new MmioEmulation();
        m.begin();
        assertThrows(InstructionAbort.class, () -> m.read(0x1000, 4));
        m.answerRead(5);
        m.write(0x2000, 4, 1);
        m.begin();
        assertFalse(m.hasUndeliveredWrite());
        assertThrows(InstructionAbort.class, () -> m.read(0x1000, 4), "the old answer is not replayed");
    }

    @Test
    void claimsUnmappedAddressesAndWritesToRom() {
        MmioEmulation m = new MmioEmulation();
        assertTrue(m.claims(0x1000, false, false));
        assertTrue(m.claims(0x1000, true, false));
        assertTrue(m.claims(0x1000, true, true), "write to read-only RAM (ROM) is MMIO");
        assertFalse(m.claims(0x1000, false, true), "a read of mapped memory is not");
    }

    @Test
    void runawayInstructionsAreStopped() {
        MmioEmulation m = new MmioEmulation();
        m.begin();
        // PUSHA onto an MMIO stack with every dword split across a page: 16 accesses must fit.
        for (int i = 0; i < 32; i++) m.write(0x1000 + i, 1, i);
        assertFalse(m.overflowed());
        assertThrows(InstructionAbort.class, () -> m.write(0x2000, 1, 0));
        assertTrue(m.overflowed(), "the abort is a runaway instruction, not an MMIO read");
        assertFalse(m.readPending());
        m.begin();
        assertFalse(m.overflowed(), "a new instruction starts clean");
    }

    @Test
    void runawayReadsAreStoppedToo() {
        MmioEmulation m = new MmioEmulation();
        m.begin();
        for (int i = 0; i < 32; i++) {
            m.startAttempt();
            for (int r = 0; r < i; r++) m.read(0x1000 + r, 1);
            assertThrows(InstructionAbort.class, () -> m.read(0x3000, 1));
            assertTrue(m.readPending());
            m.answerRead(i);
        }
        m.startAttempt();
        for (int r = 0; r < 32; r++) m.read(0x1000 + r, 1);
        assertThrows(InstructionAbort.class, () -> m.read(0x3000, 1));
        assertTrue(m.overflowed());
    }
}
