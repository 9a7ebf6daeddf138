package org.haxm.emulator.disasm;

import static org.junit.jupiter.api.Assertions.*;

import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Decoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Intel-syntax text. Expected strings are what {@code objdump -M intel} prints for the same bytes
 * (with its column padding collapsed to one space), except where noted.
 */
class DisassemblerTest {
    private final Disassembler disassembler = new Disassembler();

    private static byte[] bytes(String hex) {
        String[] parts = hex.trim().split("\\s+");
        byte[] code = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) code[i] = (byte) Integer.parseInt(parts[i], 16);
        return code;
    }

    private String format(int codeSize, long address, String hex) {
        byte[] code = bytes(hex);
        DecodedInstruction insn = new DecodedInstruction();
        new Decoder().decode(off -> code[off] & 0xFF, codeSize, insn);
        assertEquals(code.length, insn.length, "test bytes must be exactly one instruction");
        return disassembler.format(insn, address);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "48 8b 44 24 08 | mov rax,QWORD PTR [rsp+0x8]",
        "8b 04 9d 10 00 00 00 | mov eax,DWORD PTR [rbx*4+0x10]",
        "c7 45 fc 01 00 00 00 | mov DWORD PTR [rbp-0x4],0x1",
        "64 48 8b 04 25 28 00 00 00 | mov rax,QWORD PTR fs:0x28",
        "f3 48 ab | rep stos QWORD PTR es:[rdi],rax",
        "f0 0f b1 0a | lock cmpxchg DWORD PTR [rdx],ecx",
        "0f 20 c0 | mov rax,cr0",
        "88 e0 | mov al,ah",
        "40 88 e0 | mov al,spl",
        "8c d8 | mov eax,ds",
        "48 83 c4 f8 | add rsp,0xfffffffffffffff8",
        "41 ff d3 | call r11",
        "c4 e2 70 f2 c2 | andn eax,ecx,edx",
    })
    void sixtyFourBitForms(String hex, String expected) {
        assertEquals(expected, format(64, 0x1000, hex));
    }

    @Test
    void branchTargetsAreAbsolute() {
        assertEquals("jmp 0x101a", format(64, 0x101a, "eb fe"));
        assertEquals("call 0x1021", format(64, 0x101c, "e8 00 00 00 00"));
        assertEquals("call 0xa", format(16, 0xa, "e8 fd ff"));
        assertEquals("jmp 0x0:0x7c00", format(16, 0, "ea 00 7c 00 00"));
    }

    @Test
    void ripRelativeShowsTheTargetLikeObjdump() {
        assertEquals("mov rax,QWORD PTR [rip+0x10]        # 0x102a", format(64, 0x1013, "48 8b 05 10 00 00 00"));
    }

    @Test
    void sixteenBitForms() {
        assertEquals("mov ax,WORD PTR [bp+si+0x10]", format(16, 0, "8b 42 10"));
        assertEquals("movs WORD PTR es:[di],WORD PTR es:[si]", format(16, 0, "26 a5"));
        assertEquals("ud2", format(16, 0, "0f 0b"));
    }

    @Test
    void listingHasAddressBytesAndText() {
        String listing = disassembler.disassemble(bytes("55 48 89 e5 0f 0b ff"), 64, 0x400000);
        String[] lines = listing.split("\n");
        assertEquals(4, lines.length, listing);
        assertTrue(lines[0].startsWith("  400000: 55 "), lines[0]);
        assertTrue(lines[0].endsWith("push rbp"), lines[0]);
        assertTrue(lines[1].contains("48 89 e5") && lines[1].endsWith("mov rbp,rsp"), lines[1]);
        assertTrue(lines[2].startsWith("  400004:") && lines[2].endsWith("ud2"), lines[2]);
        assertTrue(lines[3].startsWith("  400006: ff") && lines[3].endsWith("(bad)"), "truncated instruction: " + lines[3]);
    }

    @Test
    void invalidEncodingsPrintBad() {
        String listing = disassembler.disassemble(bytes("06 90"), 64, 0);
        assertTrue(listing.split("\n")[0].endsWith("(bad)"), listing);
        assertTrue(listing.split("\n")[1].endsWith("nop"), listing);
    }
}
