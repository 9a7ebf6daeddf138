package org.haxm.api;

import static org.haxm.api.TestGuest.CODE;
import static org.haxm.api.TestGuest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Guest-physical addresses without RAM are MMIO: each access is one FAST_MMIO exit (haxm-api.md §4.1, §9.4). */
class MmioExitTest {
    static final long RAM = 0x8_0000;   // 512 KiB: 0xA0000 and 0x90000 are outside RAM

    /** Real mode: mov ax,0xa000; mov ds,ax; mov word [0x10],0xbeef; mov ax,[0x20]; hlt */
    static final byte[] STORE_LOAD = bytes(
        0xB8, 0x00, 0xA0,                   // +0x00 mov ax, 0xa000
        0x8E, 0xD8,                         // +0x03 mov ds, ax
        0xC7, 0x06, 0x10, 0x00, 0xEF, 0xBE, // +0x05 mov word [0x10], 0xbeef
        0xA1, 0x20, 0x00,                   // +0x0b mov ax, [0x20]
        0xF4);                              // +0x0e hlt

    @Test
    void storeAndLoadToUnmappedMemoryAreFastMmioExits() {
        try (TestGuest g = TestGuest.real(RAM, STORE_LOAD)) {
            HaxTunnel t = g.tunnel;
            assertEquals(HaxExitStatus.FAST_MMIO, g.run());
            assertEquals(0xA0010, t.mmioGpa());
            assertEquals(2, t.mmioSize());
            assertEquals(1, t.mmioDirection(), "write");
            assertEquals(0xBEEF, t.mmioValue());
            assertEquals(48, t.exitReason(), "EPT violation");
            assertEquals(CODE + 0x0B, g.rip(), "the store completed before the caller saw it");

            assertEquals(HaxExitStatus.FAST_MMIO, g.run());
            assertEquals(0xA0020, t.mmioGpa());
            assertEquals(2, t.mmioSize());
            assertEquals(0, t.mmioDirection(), "read");
            t.setMmioValue(0x4321);

            assertEquals(HaxExitStatus.HLT, g.run());
            assertEquals(0x4321, g.gpr(0) & 0xFFFF);
            assertEquals(CODE + 0x0F, g.rip());
        }
    }

    /** Real mode: mov ax,0x9000; mov ds,ax; mov ax,[0]; mov word [2],0x5555; mov bx,[2]; hlt */
    static final byte[] ROM_ACCESS = bytes(
        0xB8, 0x00, 0x90,                   // +0x00 mov ax, 0x9000
        0x8E, 0xD8,                         // +0x03 mov ds, ax
        0xA1, 0x00, 0x00,                   // +0x05 mov ax, [0]
        0xC7, 0x06, 0x02, 0x00, 0x55, 0x55, // +0x08 mov word [2], 0x5555
        0x8B, 0x1E, 0x02, 0x00,             // +0x0e mov bx, [2]
        0xF4);                              // +0x12 hlt

    @Test
    void romReadsComeFromMemoryAndWritesBecomeFastMmioWrites() {
        try (TestGuest g = TestGuest.real(RAM, ROM_ACCESS)) {
            HaxRamBlock rom = g.vm.allocateRamBlock(0x1000);
            g.vm.setRam(0x9_0000, 0x1000, rom.va(), HaxRamFlags.ROM);
            g.load(0x9_0000, bytes(0x34, 0x12, 0x78, 0x56));

            assertEquals(HaxExitStatus.FAST_MMIO, g.run());
            assertEquals(0x9_0002, g.tunnel.mmioGpa());
            assertEquals(1, g.tunnel.mmioDirection());
            assertEquals(2, g.tunnel.mmioSize());
            assertEquals(0x5555, g.tunnel.mmioValue());
            assertEquals(0x1234, g.gpr(0) & 0xFFFF, "the ROM read needed no exit");

            assertEquals(HaxExitStatus.HLT, g.run());
            assertEquals(0x5678, g.gpr(3) & 0xFFFF, "the ROM is unchanged by the guest's write");
            assertArrayEquals(bytes(0x34, 0x12, 0x78, 0x56), g.read(0x9_0000, 4));
        }
    }

    /** 64-bit: mov ebx,0xc0000000; mov rax,0x1122334455667788; mov [rbx],rax; mov rcx,[rbx+8]; hlt */
    static final byte[] LONG_MMIO = bytes(
        0xBB, 0x00, 0x00, 0x00, 0xC0,                               // +0x00 mov ebx, 0xc0000000
        0x48, 0xB8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, // +0x05 mov rax, 0x1122334455667788
        0x48, 0x89, 0x03,                                           // +0x0f mov [rbx], rax
        0x48, 0x8B, 0x4B, 0x08,                                     // +0x12 mov rcx, [rbx+8]
        0xF4);                                                      // +0x16 hlt

    @Test
    void eightByteMmioInLongMode() {
        try (TestGuest g = TestGuest.long64(LONG_MMIO)) {
            HaxTunnel t = g.tunnel;
            assertEquals(HaxExitStatus.FAST_MMIO, g.run());
            assertEquals(0xC000_0000L, t.mmioGpa());
            assertEquals(8, t.mmioSize());
            assertEquals(1, t.mmioDirection());
            assertEquals(0x1122_3344_5566_7788L, t.mmioValue());

            assertEquals(HaxExitStatus.FAST_MMIO, g.run());
            assertEquals(0xC000_0008L, t.mmioGpa());
            assertEquals(8, t.mmioSize());
            assertEquals(0, t.mmioDirection());
            t.setMmioValue(0xCAFE_BABE_1234_5678L);

            assertEquals(HaxExitStatus.HLT, g.run());
            assertEquals(0xCAFE_BABE_1234_5678L, g.gpr(1));
            assertEquals(CODE + 0x17, g.rip());
        }
    }
}
