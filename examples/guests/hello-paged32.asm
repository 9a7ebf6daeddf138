; hello-paged32 — 32-bit protected mode with identity-mapped 32-bit paging.
;
; Mode:   paged32 (flat 32-bit segments, CR0.PG=1, CR4.PSE=1, identity mapping)
; Load:   0x10000  Entry: 0x10000
; Output: "Hello, world! (32-bit paging)\npaging on\n" on the debug console (port 0xE9)
; Memory: dword at physical 0x400 = 42
;
; Exercises: string I/O (REP OUTSB: ECX bytes from DS:ESI to port DX, SDM Vol. 2B "OUTS"),
; reading a control register (MOV r32, CR0 — CPL 0 only) and testing CR0.PG (bit 31).
; Every fetch and data access here goes through the guest page tables.

bits 32
org 0x10000

DEBUG_CONSOLE equ 0xE9
CR0_PG        equ 0x80000000    ; CR0 bit 31: paging enabled (SDM Vol. 3A §2.5)
RESULT_ADDR   equ 0x400

start:
    cli
    cld                         ; OUTSB must advance ESI (DF=0)
    mov dx, DEBUG_CONSOLE

    mov esi, hello
    mov ecx, hello_len
    rep outsb                   ; the whole greeting in one instruction

    mov eax, cr0
    test eax, CR0_PG
    jz .store                   ; paging off: say nothing (the expected output would differ)
    mov esi, paging_on
    mov ecx, paging_on_len
    rep outsb

.store:
    mov dword [RESULT_ADDR], 42
.halt:
    hlt
    jmp .halt

hello:      db "Hello, world! (32-bit paging)", 10
hello_len   equ $ - hello
paging_on:  db "paging on", 10
paging_on_len equ $ - paging_on
