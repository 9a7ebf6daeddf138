; mmio-long — 64-bit guest talking to a memory-mapped device instead of an I/O port.
;
; Mode:   long   Load: 0x10000   Entry: 0x10000
; Device: a window at guest-physical 0xD0000000 with no RAM behind it, so every access
;         becomes an MMIO exit handled by the host:
;           +0  byte writes: the host prints each byte
;           +4  dword reads: the host returns 0xC0FFEE42
;           +8  dword reads return 10; writes are logged by the host (expect 15)
; Output: "MMIO says hi\n" (through the MMIO window)
; Memory: dword at physical 0x400 = 0xC0FFEE42
;
; The window address is kept in a register: a 32-bit displacement is sign-extended in
; 64-bit mode, so [0xD0000000] would mean 0xFFFFFFFFD0000000 (SDM Vol. 1 §3.7.5).

bits 64
org 0x10000
default rel

MMIO_BASE     equ 0xD0000000
MMIO_PUTC     equ 0             ; offsets inside the window
MMIO_MAGIC    equ 4
MMIO_COUNTER  equ 8
RESULT_ADDR   equ 0x400

start:
    cli
    mov edi, MMIO_BASE          ; zero-extends into RDI: 0x00000000D0000000
    lea rsi, [message]
.next:
    mov al, [rsi]
    inc rsi
    test al, al
    jz .read
    mov [rdi + MMIO_PUTC], al   ; one MMIO write exit per byte
    jmp .next

.read:
    mov eax, [rdi + MMIO_MAGIC] ; MMIO read: the host supplies the value
    mov [abs RESULT_ADDR], eax

    ; Read-modify-write on MMIO: one instruction, one read (10) and one write (15).
    add dword [rdi + MMIO_COUNTER], 5
.halt:
    hlt
    jmp .halt

message: db "MMIO says hi", 10, 0
