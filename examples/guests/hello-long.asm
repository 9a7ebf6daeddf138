; hello-long — 64-bit long mode: arithmetic, division, MSR and CPUID.
;
; Mode:   long (64-bit code segment 0x08 at CPL 0, identity-mapped 4-level paging,
;         EFER.LME/LMA set, RSP = top of RAM)
; Load:   0x10000  Entry: 0x10000
; Output: "Hello, world! (64-bit long mode)\nsum=5050\nLMA=1\n" then the 12-byte CPUID
;         vendor string and "\n" (the engine reports "GenuineIntel")
; Memory: qword at physical 0x400 = 42
;
; Exercises: RIP-relative addressing (default rel), REX-prefixed registers R8-R15,
; a counted loop, 64-bit DIV (RDX:RAX / r64, SDM Vol. 2A "DIV"), RDMSR of IA32_EFER,
; CPUID leaf 0, a stack buffer, and an absolute 64-bit store.

bits 64
org 0x10000
default rel                     ; label operands are RIP-relative, as a real 64-bit image would be

DEBUG_CONSOLE equ 0xE9
IA32_EFER     equ 0xC0000080    ; SDM Vol. 4 Table 2-2
EFER_LMA      equ 1 << 10       ; long mode active (set by the CPU, SDM Vol. 3A §9.8.5)
RESULT_ADDR   equ 0x400

start:
    cli
    cld                         ; LODSB in puts must walk forwards (DF=0)
    lea rsi, [hello]
    call puts

    ; sum = 1 + 2 + ... + 100, counting down in R8 and accumulating in R9.
    xor r9, r9
    mov r8, 100
.add:
    add r9, r8
    dec r8
    jnz .add

    lea rsi, [sum_label]
    call puts
    mov rax, r9
    call print_u64
    mov al, 10
    call putc

    ; EFER.LMA reads as 1 only if the CPU really runs in IA-32e mode.
    mov ecx, IA32_EFER
    rdmsr                       ; EDX:EAX = EFER
    test eax, EFER_LMA
    jz .cpuid
    lea rsi, [lma_on]
    call puts

.cpuid:
    ; CPUID leaf 0: the vendor string is EBX, EDX, ECX in that order (SDM Vol. 2A "CPUID").
    xor eax, eax
    cpuid
    sub rsp, 16                 ; 12 vendor bytes + newline, kept 16-byte aligned
    mov [rsp], ebx
    mov [rsp + 4], edx
    mov [rsp + 8], ecx
    mov byte [rsp + 12], 10
    mov byte [rsp + 13], 0
    mov rsi, rsp
    call puts
    add rsp, 16

    mov qword [abs RESULT_ADDR], 42 ; [abs ...]: a plain 32-bit address, not RIP-relative
.halt:
    hlt
    jmp .halt

; puts: write the NUL-terminated string at RSI to the debug console. Clobbers RSI, AL.
puts:
    lodsb
    test al, al
    jz .done
    call putc
    jmp puts
.done:
    ret

; putc: write the byte in AL to the debug console.
putc:
    out DEBUG_CONSOLE, al
    ret

; print_u64: print RAX as an unsigned decimal number.
; Digits come out least significant first, so they are built backwards in a stack buffer.
; Clobbers RAX, RDX, RSI, R10, R11.
print_u64:
    sub rsp, 32                 ; 20 digits at most for 2^64-1, plus a NUL
    lea r11, [rsp + 31]
    mov byte [r11], 0
    mov r10, 10
.digit:
    xor edx, edx                ; DIV divides RDX:RAX: clear the high half first
    div r10                     ; RAX = quotient, RDX = remainder 0..9
    add dl, '0'
    dec r11
    mov [r11], dl
    test rax, rax
    jnz .digit                  ; at least one digit is printed, so 0 prints as "0"
    mov rsi, r11
    call puts
    add rsp, 32
    ret

hello:     db "Hello, world! (64-bit long mode)", 10, 0
sum_label: db "sum=", 0
lma_on:    db "LMA=1", 10, 0
