package org.haxm.examples.vmm;

/** Hand-assembled test guests (bytes with their mnemonics, SDM Vol. 2 encodings). */
public final class TinyGuests {

    private TinyGuests() {
    }

    static byte[] bytes(int... b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = (byte) b[i];
        }
        return r;
    }

    /** Real mode: std; mov di,0x503; mov cx,4; mov dx,0x80; rep insb; hlt. */
    public static final byte[] REAL_REP_INSB_DOWN = bytes(
            0xFD, 0xBF, 0x03, 0x05, 0xB9, 0x04, 0x00, 0xBA, 0x80, 0x00, 0xF3, 0x6C, 0xF4);

    /** Real mode: std; mov si,0x603; mov cx,4; mov dx,0xE9; rep outsb; hlt. */
    public static final byte[] REAL_REP_OUTSB_DOWN = bytes(
            0xFD, 0xBE, 0x03, 0x06, 0xB9, 0x04, 0x00, 0xBA, 0xE9, 0x00, 0xF3, 0x6E, 0xF4);

    /** Real mode: mov dx,0x80; in ax,dx; mov [0x500],ax; hlt. */
    public static final byte[] REAL_IN_WORD = bytes(0xBA, 0x80, 0x00, 0xED, 0xA3, 0x00, 0x05, 0xF4);

    /** Any mode: ud2 (no IDT, so #UD cannot be delivered: triple fault). */
    public static final byte[] UD2 = bytes(0x0F, 0x0B);

    /** Any mode: jmp $ (spins forever). */
    public static final byte[] SPIN = bytes(0xEB, 0xFE);

    /** Real mode: mov ax,0x1234; mov [0x500],ax; hlt (HLT at +6). */
    public static final byte[] REAL_STORE = bytes(0xB8, 0x34, 0x12, 0xA3, 0x00, 0x05, 0xF4);

    /** Long mode: mov rax,0x1122334455667788; mov r15,rax; hlt (HLT at +13). */
    public static final byte[] LONG_MOVS = bytes(
            0x48, 0xB8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, // mov rax, imm64
            0x49, 0x89, 0xC7,                                           // mov r15, rax
            0xF4);                                                      // hlt
}
