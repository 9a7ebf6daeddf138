; hello-protected — flat 32-bit protected mode, printing through a 16550 UART.
;
; Mode:   protected (CS=0x08 flat code, DS/ES/SS=0x10 flat data, paging off, ESP = top of RAM)
; Load:   0x10000  Entry: 0x10000
; Output: "Hello, world! (32-bit protected mode)\n" on COM1
; Memory: dword at physical 0x400 = 42
;
; Exercises: CALL/RET and the stack (pushes, pops, a subroutine calling a subroutine),
; polled UART transmission: before each write to the Transmitter Holding Register the
; guest waits for LSR bit 5 (THR empty), as a driver for a real 16550 must.

bits 32
org 0x10000

COM1_THR      equ 0x3F8         ; Transmitter Holding Register (write, DLAB=0)
COM1_LSR      equ 0x3FD         ; Line Status Register (read)
LSR_THR_EMPTY equ 0x20          ; LSR bit 5: THR can accept another byte
RESULT_ADDR   equ 0x400

start:
    cli
    mov esi, message
    call serial_puts
    mov dword [RESULT_ADDR], 42
.halt:
    hlt
    jmp .halt

; serial_puts: write the NUL-terminated string at ESI to COM1.
; Preserves every register except EFLAGS (it saves what it uses on the stack).
serial_puts:
    push eax
    push esi
.next:
    mov al, [esi]
    inc esi
    test al, al
    jz .done
    call serial_putc
    jmp .next
.done:
    pop esi
    pop eax
    ret

; serial_putc: write the byte in AL to COM1 once the transmitter is ready.
serial_putc:
    push edx
    push eax                    ; keep the character while AL is used for the LSR value
    mov dx, COM1_LSR
.wait:
    in al, dx
    test al, LSR_THR_EMPTY
    jz .wait                    ; spin until the THR is empty
    pop eax
    mov dx, COM1_THR
    out dx, al
    pop edx
    ret

message:
    db "Hello, world! (32-bit protected mode)", 10, 0
