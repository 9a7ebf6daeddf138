package org.haxm.ept;

import static org.haxm.ept.GuestPhysicalMemory.FLAG_INVALID;
import static org.haxm.ept.GuestPhysicalMemory.FLAG_ROM;
import static org.haxm.ept.GuestPhysicalMemory.FLAG_STANDALONE;
import static org.haxm.ept.GuestPhysicalMemory.GPA_LIMIT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GuestPhysicalMemoryTest {

    private static final long PAGE = RamBlock.PAGE_SIZE;

    private final GuestPhysicalMemory memory = new GuestPhysicalMemory();
    private final RamBlock a = memory.allocateRamBlock(64 * 1024);
    private final RamBlock b = memory.allocateRamBlock(64 * 1024);

    @Test
    void mappingRamCreatesOneSlot() {
        memory.setRam(0x10000, 0x4000, a.va() + 0x2000, 0);
        assertEquals(List.of(new MemorySlot(0x10000, 0x4000, a, 0x2000, false)), memory.slots());
        assertSame(a, memory.slotAt(0x13FFF).block());
        assertNull(memory.slotAt(0xFFFF));
        assertNull(memory.slotAt(0x14000));
    }

    @Test
    void mappingOverAnExistingMappingSplitsIt() {
        memory.setRam(0, 0x10000, a.va(), 0);
        memory.setRam(0x4000, 0x2000, b.va() + 0x1000, FLAG_ROM);
        assertEquals(List.of(
                new MemorySlot(0, 0x4000, a, 0, false),
                new MemorySlot(0x4000, 0x2000, b, 0x1000, true),
                new MemorySlot(0x6000, 0xA000, a, 0x6000, false)), memory.slots());
    }

    @Test
    void unmappingTheMiddleLeavesAnMmioHole() {
        memory.map(0, a, 0, 0x10000, false);
        memory.unmap(0x3000, 0x2000);
        assertEquals(List.of(
                new MemorySlot(0, 0x3000, a, 0, false),
                new MemorySlot(0x5000, 0xB000, a, 0x5000, false)), memory.slots());
        assertNull(memory.slotAt(0x3000));
        assertNull(memory.slotAt(0x4FFF));
    }

    @Test
    void remappingTheHoleContiguouslyMergesTheSlotsAgain() {
        memory.map(0, a, 0, 0x10000, false);
        memory.unmap(0x3000, 0x2000);
        memory.map(0x3000, a, 0x3000, 0x2000, false);
        assertEquals(List.of(new MemorySlot(0, 0x10000, a, 0, false)), memory.slots());
    }

    @Test
    void romIsMappedReadOnlyAndExecutable() {
        memory.map(0xF0000, a, 0, 0x10000, true);
        EptWalkResult result = new EptWalkResult();
        memory.walk(0xF0010, EptAccess.READ, result);
        assertEquals(EptWalkResult.Status.TRANSLATED, result.status);
        assertEquals(EptEntry.RX, result.permissions);
        memory.walk(0xF0010, EptAccess.EXECUTE, result);
        assertEquals(EptWalkResult.Status.TRANSLATED, result.status);
        memory.walk(0xF0010, EptAccess.WRITE, result);
        assertEquals(EptWalkResult.Status.VIOLATION, result.status);
        assertTrue(result.mapped, "a ROM write hits a mapped page (HAXM then emulates it as MMIO)");
        // Bits 2:0 = write (010), bits 5:3 = R and X but not W (101).
        assertEquals(0b101_010, result.qualification);
    }

    @Test
    void standaloneMappingGetsAPrivateBlockThatGoesAwayWithIt() {
        memory.setRam(0x100000, 0x3000, 0, FLAG_STANDALONE);
        MemorySlot slot = memory.slotAt(0x100000);
        RamBlock privateBlock = slot.block();
        assertTrue(privateBlock.isStandalone());
        assertEquals(0x3000, privateBlock.size());
        assertTrue(memory.ramBlocks().contains(privateBlock));

        memory.unmap(0x101000, 0x1000);
        assertTrue(memory.ramBlocks().contains(privateBlock), "still partly mapped");
        memory.unmap(0x100000, 0x3000);
        assertFalse(memory.ramBlocks().contains(privateBlock), "no longer mapped: removed");
    }

    @Test
    void standaloneRomStartsZeroedAndIsLoadableFromTheHost() {
        memory.setRam(0xFFFF0000L, 0x10000, 0, FLAG_STANDALONE | FLAG_ROM);
        assertTrue(memory.slotAt(0xFFFF0000L).readOnly());
        memory.writeBytes(0xFFFFFFF0L, new byte[] {(byte) 0xEA}, 0, 1);
        byte[] read = new byte[2];
        memory.readBytes(0xFFFFFFEFL, read, 0, 2);
        assertArrayEquals(new byte[] {0, (byte) 0xEA}, read);
    }

    @Test
    void everyChangeAdvancesTheTranslationGenerationButRegisteringABlockDoesNot() {
        long start = memory.translationGeneration();
        memory.allocateRamBlock(PAGE);
        assertEquals(start, memory.translationGeneration());
        memory.map(0, a, 0, PAGE, false);
        assertEquals(start + 1, memory.translationGeneration());
        memory.unmap(0, PAGE);
        assertEquals(start + 2, memory.translationGeneration());
        assertEquals(memory.translationGeneration(), memory.eptPageTables().generation());
    }

    static Stream<Arguments> badSetRamCalls() {
        return Stream.of(
                bad("gpa unaligned", m -> m.setRam(0x1001, PAGE, 0, FLAG_INVALID), "gpa must be 4-KiB aligned", "0x1001"),
                bad("gpa negative", m -> m.setRam(-PAGE, PAGE, 0, FLAG_INVALID), "gpa must be", "0x8000000000"),
                bad("gpa at limit", m -> m.setRam(GPA_LIMIT, PAGE, 0, FLAG_INVALID), "gpa must be", "MAXPHYADDR 39"),
                bad("size zero", m -> m.setRam(0, 0, 0, FLAG_INVALID), "size must be a non-zero multiple of 4096", "was 0x0"),
                bad("size unaligned", m -> m.setRam(0, 100, 0, FLAG_INVALID), "size must be", "was 0x64"),
                bad("beyond limit", m -> m.setRam(GPA_LIMIT - PAGE, 2 * PAGE, 0, FLAG_INVALID), "gpa + size <= 0x8000000000", "0x2000"),
                bad("unknown flag", m -> m.setRam(0, PAGE, 0, 0x02), "flags 0x2 has unknown bits", "ROM=0x01"),
                bad("INVALID with ROM", m -> m.setRam(0, PAGE, 0, FLAG_INVALID | FLAG_ROM), "INVALID (0x80) must be used alone", "0x81"),
                bad("INVALID with va", m -> m.setRam(0, PAGE, 0x1000, FLAG_INVALID), "va must be 0 when unmapping", "0x1000"),
                bad("va unaligned", m -> m.setRam(0, PAGE, GuestPhysicalMemory.VA_BASE + 1, 0), "va must be 4-KiB aligned", "0x1000000001"),
                bad("va zero", m -> m.setRam(0, PAGE, 0, 0), "does not lie inside one registered RAM block", "0x0"),
                bad("va outside blocks", m -> m.setRam(0, PAGE, 0x7000_0000_0000L, FLAG_ROM), "does not lie inside", "0x700000000000"),
                bad("va range crosses block end", m -> {
                    RamBlock block = m.ramBlocks().get(0);
                    m.setRam(0, 2 * PAGE, block.va() + block.size() - PAGE, 0);
                }, "does not lie inside one registered RAM block", "size 0x2000"));
    }

    private static Arguments bad(String name, Consumer<GuestPhysicalMemory> call, String... fragments) {
        return Arguments.of(name, call, fragments);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSetRamCalls")
    void badSetRamArgumentsAreRejectedWithAClearMessageAndNoChange(String name, Consumer<GuestPhysicalMemory> call,
                                                                   String[] fragments) {
        memory.map(0, a, 0, 0x8000, false);
        memory.map(0x8000, b, 0, 0x1000, true);
        List<MemorySlot> slotsBefore = memory.slots();
        List<RamBlock> blocksBefore = memory.ramBlocks();
        long generationBefore = memory.translationGeneration();
        EptPageTables tablesBefore = memory.eptPageTables();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> call.accept(memory));
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "'" + e.getMessage() + "' lacks '" + fragment + "'");
        }
        assertEquals(slotsBefore, memory.slots());
        assertEquals(blocksBefore, memory.ramBlocks());
        assertEquals(generationBefore, memory.translationGeneration());
        assertSame(tablesBefore, memory.eptPageTables());
    }

    @Test
    void mapChecksItsOwnArguments() {
        IllegalArgumentException offset = assertThrows(IllegalArgumentException.class,
                () -> memory.map(0, a, 0x800, PAGE, false));
        assertTrue(offset.getMessage().contains("offset must be 4-KiB aligned"), offset.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> memory.map(0, a, 0xF000, 2 * PAGE, false));
        assertTrue(size.getMessage().contains("exceeds the block size 0x10000"), size.getMessage());
        RamBlock foreign = new GuestPhysicalMemory().allocateRamBlock(PAGE);
        IllegalArgumentException notMine = assertThrows(IllegalArgumentException.class,
                () -> memory.map(0, foreign, 0, PAGE, false));
        assertTrue(notMine.getMessage().contains("not registered"), notMine.getMessage());
        assertTrue(memory.slots().isEmpty());
    }

    @Test
    void aBlockCanBeRemovedOnlyWhenUnmapped() {
        memory.map(0x2000, a, 0, PAGE, false);
        IllegalStateException mapped = assertThrows(IllegalStateException.class, () -> memory.removeRamBlock(a));
        assertTrue(mapped.getMessage().contains("still mapped"), mapped.getMessage());
        assertTrue(memory.ramBlocks().contains(a));

        memory.unmap(0x2000, PAGE);
        memory.removeRamBlock(a);
        assertFalse(memory.ramBlocks().contains(a));
        assertThrows(IllegalArgumentException.class, () -> memory.removeRamBlock(a));
        IllegalArgumentException va = assertThrows(IllegalArgumentException.class, () -> memory.setRam(0, PAGE, a.va(), 0));
        assertTrue(va.getMessage().contains("registered RAM block"), va.getMessage());
    }

    @Test
    void hostBulkAccessCrossesSlotsAndChunks() {
        RamBlock big = memory.addRamBlock(ByteBuffer.allocate(2 * RamBlock.CHUNK_SIZE));
        long chunkEdge = RamBlock.CHUNK_SIZE;
        // GPA 0x10000.. maps big across its chunk boundary; next page maps block a.
        memory.map(0x10000, big, chunkEdge - PAGE, 2 * PAGE, false);
        memory.map(0x12000, a, 0, PAGE, false);
        byte[] image = new byte[3 * (int) PAGE];
        for (int i = 0; i < image.length; i++) {
            image[i] = (byte) (i * 13 + 1);
        }
        memory.writeBytes(0x10000, image, 0, image.length);

        byte[] back = new byte[image.length];
        memory.readBytes(0x10000, back, 0, back.length);
        assertArrayEquals(image, back);
        assertEquals(image[(int) PAGE], big.chunk(1).get(0), "second page landed at the start of chunk 1");
        byte[] fromA = new byte[1];
        a.read(0, fromA, 0, 1);
        assertEquals(image[2 * (int) PAGE], fromA[0]);
    }

    @Test
    void hostBulkAccessToUnmappedMemoryIsRejectedAndWritesNothing() {
        memory.map(0, a, 0, PAGE, false);
        byte[] data = {1, 2, 3, 4};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> memory.writeBytes(PAGE - 2, data, 0, data.length));
        assertTrue(e.getMessage().contains("0x1000 is MMIO"), e.getMessage());
        byte[] read = new byte[2];
        memory.readBytes(PAGE - 2, read, 0, 2);
        assertArrayEquals(new byte[2], read, "nothing was written before the failure");
        assertThrows(IllegalArgumentException.class, () -> memory.readBytes(-1, read, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> memory.readBytes(Long.MAX_VALUE, read, 0, 2));
    }
}
