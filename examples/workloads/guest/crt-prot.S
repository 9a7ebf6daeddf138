/*
 * crt-prot.S - start-up code of the 32-bit workload guests.
 *
 * The guest starts here, at 0x100000, in the state "haxm run --mode protected" sets up
 * (examples setup/GuestModeSetup): flat 32-bit code 0x08 and data 0x10, paging off,
 * EFLAGS.IF = 0, no IDT. The ABI it gives workload():
 *   ESP = 0x7FF000 (16-byte aligned before the CALL, i386 SysV ABI), DF = 0, .bss zeroed,
 *   and on return: the 32-bit checksum stored at guest-physical 0x500 and left in EAX, then HLT
 *   (and HLT again if the VMM resumes the guest).
 */
    .code32
    .section .text.entry, "ax"
    .globl _start
_start:
    movl    $0x7FF000, %esp
    cld
    movl    $__bss_start, %edi
    movl    $__bss_end, %ecx
    subl    %edi, %ecx
    xorl    %eax, %eax
    rep stosb
    call    workload
    movl    %eax, 0x500
1:  hlt
    jmp     1b

/*
 * void wl_irq_setup(void): an IDT whose only present gate is WL_IRQ_VECTOR (0x20).
 * A 32-bit interrupt gate is 8 bytes (SDM Vol. 3A §6.11, Figure 6-2): offset 15:0, selector,
 * 0x8E00 (P = 1, DPL 0, type 0xE = 32-bit interrupt gate), offset 31:16. Any other vector
 * finds a not-present gate (#NP -> #DF -> triple fault), which the VMM reports as a failure.
 */
    .text
    .globl wl_irq_setup
wl_irq_setup:
    movl    $wl_irq_entry, %eax
    movw    %ax, wl_idt + 0x100
    movw    $0x08, wl_idt + 0x102
    movw    $0x8E00, wl_idt + 0x104
    shrl    $16, %eax
    movw    %ax, wl_idt + 0x106
    movw    $(33 * 8 - 1), wl_idtr
    movl    $wl_idt, wl_idtr + 2
    lidt    wl_idtr
    ret

/* The handler: count and return. It touches no register, so it needs no save/restore. */
wl_irq_entry:
    incl    wl_irq_count
    iret

    .bss
    .balign 8
wl_idt:
    .skip   33 * 8
wl_idtr:
    .skip   6
    .balign 4
    .globl  wl_irq_count
wl_irq_count:
    .skip   4

    /* No executable stack (silences the linker; the guest has no such notion). */
    .section .note.GNU-stack, "", @progbits
