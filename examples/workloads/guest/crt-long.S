/*
 * crt-long.S - start-up code of the 64-bit workload guests.
 *
 * The guest starts here, at 0x100000, in the state "haxm run --mode long" sets up
 * (examples setup/GuestModeSetup): 64-bit code segment 0x08, flat data 0x10, identity paging,
 * RFLAGS.IF = 0, no IDT. The ABI it gives workload():
 *   RSP = 0x7FF000 (16-byte aligned before the CALL, SysV ABI), DF = 0, .bss zeroed,
 *   and on return: the 32-bit checksum stored at guest-physical 0x500 and left in EAX, then HLT
 *   (and HLT again if the VMM resumes the guest).
 */
    .code64
    .section .text.entry, "ax"
    .globl _start
_start:
    movq    $0x7FF000, %rsp
    cld
    /* Zero .bss: the linker script exports its bounds. */
    leaq    __bss_start(%rip), %rdi
    leaq    __bss_end(%rip), %rcx
    subq    %rdi, %rcx
    xorl    %eax, %eax
    rep stosb
    call    workload
    movl    %eax, 0x500
1:  hlt
    jmp     1b

/*
 * void wl_irq_setup(void): an IDT whose only present gate is WL_IRQ_VECTOR (0x20).
 * A 64-bit interrupt gate is 16 bytes (SDM Vol. 3A §6.14.1, Figure 6-8): offset 15:0,
 * selector, IST/type/DPL/P (0x8E00: P = 1, DPL 0, type 0xE = interrupt gate, IST 0),
 * offset 31:16, offset 63:32, reserved. Any other vector finds a not-present gate (#NP ->
 * #DF -> triple fault), which the VMM reports as a failure.
 */
    .text
    .globl wl_irq_setup
wl_irq_setup:
    leaq    wl_irq_entry(%rip), %rax
    leaq    wl_idt(%rip), %rdi
    movw    %ax, 0x200(%rdi)
    movw    $0x08, 0x202(%rdi)
    movw    $0x8E00, 0x204(%rdi)
    shrq    $16, %rax
    movw    %ax, 0x206(%rdi)
    shrq    $16, %rax
    movl    %eax, 0x208(%rdi)
    movl    $0, 0x20C(%rdi)
    movw    $(33 * 16 - 1), wl_idtr(%rip)
    movq    %rdi, wl_idtr+2(%rip)
    lidt    wl_idtr(%rip)
    ret

/* The handler: count and return. It touches no register, so it needs no save/restore. */
wl_irq_entry:
    incl    wl_irq_count(%rip)
    iretq

    .bss
    .balign 16
wl_idt:
    .skip   33 * 16
wl_idtr:
    .skip   10
    .balign 4
    .globl  wl_irq_count
wl_irq_count:
    .skip   4

    /* No executable stack (silences the linker; the guest has no such notion). */
    .section .note.GNU-stack, "", @progbits
