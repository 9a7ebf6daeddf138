; hello-real — the smallest guest: 16-bit real mode, booted like a boot sector.
;
; Mode:   real (CS=0, IP=0x7C00, all segment registers 0)
; Load:   0x7C00   Entry: 0x7C00
; Output: "Hello, world! (real mode)\n" on the debug console (port 0xE9)
; Memory: word at physical 0x400 = 42
;
; Exercises: 16-bit near addressing, LODSB (DS:SI string load, SDM Vol. 2B "LODS"),
; a byte OUT to a fixed port through DX, a conditional loop, a memory store, HLT.

bits 16
org 0x7C00

DEBUG_CONSOLE equ 0xE9          ; Bochs/QEMU-style debug port: every byte written is printed
RESULT_ADDR   equ 0x400         ; the host checks this word after the run

start:
    cli                         ; no IDT is set up: keep external interrupts out
    xor ax, ax                  ; the loader promises zero segments; make it explicit anyway
    mov ds, ax
    mov es, ax
    mov ss, ax                  ; a private stack just below the code (grows down from 0x7C00)
    mov sp, 0x7C00
    cld                         ; LODSB must walk forwards (DF=0)

    mov si, message
    mov dx, DEBUG_CONSOLE
.next:
    lodsb                       ; AL = [DS:SI], SI += 1
    test al, al                 ; the string ends with a NUL byte
    jz .done
    out dx, al
    jmp .next
.done:
    mov word [RESULT_ADDR], 42  ; DS=0, so this is physical 0x400
.halt:
    hlt
    jmp .halt                   ; if something wakes the CPU, halt again

message:
    db "Hello, world! (real mode)", 10, 0
