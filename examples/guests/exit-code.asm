; exit-code — leave the virtual machine with a status code through isa-debug-exit.
;
; Mode:   protected   Load: 0x10000   Entry: 0x10000
; Output: "bye\n" on the debug console (port 0xE9)
; Exit:   writing v to port 0xF4 ends the run with status (v << 1) | 1; v = 0x10 gives 0x21
; Memory: dword at physical 0x400 = 42 (stored before leaving)

bits 32
org 0x10000

DEBUG_CONSOLE equ 0xE9
DEBUG_EXIT    equ 0xF4          ; QEMU-style isa-debug-exit device
EXIT_VALUE    equ 0x10          ; status = (0x10 << 1) | 1 = 0x21
RESULT_ADDR   equ 0x400

start:
    cli
    mov esi, message
.next:
    mov al, [esi]
    inc esi
    test al, al
    jz .leave
    out DEBUG_CONSOLE, al
    jmp .next

.leave:
    mov dword [RESULT_ADDR], 42
    mov al, EXIT_VALUE
    out DEBUG_EXIT, al          ; the run should end here
.halt:
    hlt                         ; only reached if no exit device is present
    jmp .halt

message: db "bye", 10, 0
