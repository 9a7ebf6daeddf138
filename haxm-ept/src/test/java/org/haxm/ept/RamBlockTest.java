package org.haxm.ept;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class RamBlockTest {

    private final GuestPhysicalMemory memory = new GuestPhysicalMemory();

    @Test
    void callerHeapBufferIsUsedInPlaceBetweenPositionAndLimit() {
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        buffer.position(4096).limit(12 * 1024);
        RamBlock block = memory.addRamBlock(buffer);
        assertEquals(8 * 1024, block.size());

        block.write(0, new byte[] {1, 2, 3}, 0, 3);
        assertEquals(1, buffer.get(4096));
        assertEquals(3, buffer.get(4098));

        buffer.put(4096 + 8191, (byte) 0x5A); // last byte of the block, written by the caller
        byte[] read = new byte[1];
        block.read(8191, read, 0, 1);
        assertEquals(0x5A, read[0]);

        // Moving the caller's position afterwards does not move the block.
        buffer.position(0);
        block.read(0, read, 0, 1);
        assertEquals(1, read[0]);
        assertEquals(block.chunkCount(), block.allocatedChunkCount());
    }

    @Test
    void callerDirectBufferIsUsedInPlace() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(3 * RamBlock.CHUNK_SIZE);
        RamBlock block = memory.addRamBlock(buffer);
        assertEquals(3, block.chunkCount());
        block.chunkFor(2L * RamBlock.CHUNK_SIZE + 8).putInt(8, 0xCAFEBABE);
        assertEquals(0xCAFEBABE, buffer.order(ByteOrder.LITTLE_ENDIAN).getInt(2 * RamBlock.CHUNK_SIZE + 8));
    }

    @Test
    void chunksAreLittleEndianViews() {
        RamBlock block = memory.allocateRamBlock(RamBlock.PAGE_SIZE);
        block.chunk(0).putShort(0, (short) 0x1234);
        assertEquals(0x34, block.chunk(0).get(0));
        assertEquals(ByteOrder.LITTLE_ENDIAN, block.chunk(0).order());
    }

    @Test
    void badBuffersAreRejectedWithTheirSize() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> memory.addRamBlock(ByteBuffer.allocate(0)));
        assertTrue(empty.getMessage().contains("buffer.remaining()"), empty.getMessage());
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
                () -> memory.addRamBlock(ByteBuffer.allocate(4097)));
        assertTrue(odd.getMessage().contains("4097"), odd.getMessage());
        IllegalArgumentException readOnly = assertThrows(IllegalArgumentException.class,
                () -> memory.addRamBlock(ByteBuffer.allocate(4096).asReadOnlyBuffer()));
        assertTrue(readOnly.getMessage().contains("read-only"), readOnly.getMessage());
        assertTrue(memory.ramBlocks().isEmpty());
    }

    @Test
    void badAllocationSizesAreRejected() {
        for (long size : new long[] {0, -4096, 100, 4097, RamBlock.MAX_ALLOCATED_SIZE + 4096}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> memory.allocateRamBlock(size));
            assertTrue(e.getMessage().startsWith("size must be"), e.getMessage());
        }
        assertTrue(memory.ramBlocks().isEmpty());
    }

    @Test
    void engineAllocatedBlockIsLazy() {
        RamBlock block = memory.allocateRamBlock(64L << 20);
        assertEquals(32, block.chunkCount());
        assertEquals(0, block.allocatedChunkCount());

        byte[] zeros = new byte[4096];
        block.read(40L << 20, zeros, 0, zeros.length);
        assertArrayEquals(new byte[4096], zeros);
        assertEquals(0, block.allocatedChunkCount(), "reading untouched memory must not allocate");

        block.write(5L << 20, new byte[] {42}, 0, 1);
        assertEquals(1, block.allocatedChunkCount());
        assertSame(block.chunk(2), block.chunkFor(5L << 20), "the same chunk is returned after allocation");
    }

    @Test
    void blockLargerThan2GiBCostsOnlyItsTouchedChunks() {
        long size = 6L << 30;
        RamBlock block = memory.allocateRamBlock(size);
        assertEquals(size, block.size());
        assertEquals(3072, block.chunkCount());
        block.write(size - 1, new byte[] {7}, 0, 1);
        byte[] read = new byte[1];
        block.read(size - 1, read, 0, 1);
        assertEquals(7, read[0]);
        assertEquals(1, block.allocatedChunkCount());
    }

    @Test
    void lastChunkIsShorterWhenTheSizeIsNotAMultipleOf2MiB() {
        RamBlock block = memory.allocateRamBlock(RamBlock.CHUNK_SIZE + RamBlock.PAGE_SIZE);
        assertEquals(2, block.chunkCount());
        assertEquals(RamBlock.CHUNK_SIZE, block.chunk(0).capacity());
        assertEquals(RamBlock.PAGE_SIZE, block.chunk(1).capacity());
    }

    @Test
    void accessOutsideTheBlockIsRejected() {
        RamBlock block = memory.allocateRamBlock(RamBlock.PAGE_SIZE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> block.write(4095, new byte[2], 0, 2));
        assertTrue(e.getMessage().contains("outside the block"), e.getMessage());
    }

    @Test
    void blocksGetDistinctAlignedSyntheticAddresses() {
        RamBlock a = memory.allocateRamBlock(RamBlock.PAGE_SIZE);
        RamBlock b = memory.addRamBlock(ByteBuffer.allocate(3 * RamBlock.CHUNK_SIZE));
        RamBlock c = memory.allocateRamBlock(RamBlock.PAGE_SIZE);
        for (RamBlock block : new RamBlock[] {a, b, c}) {
            assertNotEquals(0, block.va());
            assertEquals(0, block.va() % RamBlock.CHUNK_SIZE);
            assertEquals(0, block.hostPhysicalBase() % RamBlock.CHUNK_SIZE);
        }
        assertTrue(a.va() + a.size() < b.va() && b.va() + b.size() < c.va(), "va ranges must not overlap");
        assertTrue(a.hostPhysicalBase() + a.size() < b.hostPhysicalBase()
                && b.hostPhysicalBase() + b.size() < c.hostPhysicalBase(), "host-physical ranges must not overlap");
    }
}
