; Multiboot (v1) boot stub that runs one flat workload binary under qemu-system-x86_64 in the
; same environment `haxm run --mode long|protected --load 0x100000=<bin> --entry 0x100000`
; gives it, several times in one boot, and reports each run on the isa-debugcon port.
;
; Build (see build.sh):  nasm -f bin -DPAYLOAD='"sieve-long.bin"' -DHLT_OFFSET=0x26 -DREPS=5 [-DLONG_MODE] boot.asm
;
; Why this shape:
; - QEMU's -kernel loads a multiboot kernel only from an ELF32 file (or the a.out kludge), so the
;   file starts with a hand-written ELF32 header and one PT_LOAD segment (System V gABI, "ELF
;   header" and "Program header"): nasm alone builds it, no linker script needed.
; - The workload is linked at 0x100000 and uses 0x100000..0x7FFFFF (stack top 0x7FF000), so the
;   stub lives at 0x800000 and carries the workload as a payload it copies to 0x100000 before
;   every run (a fresh copy each time: .data starts from its initial values again).
; - The guest's crt stores the checksum at 0x500 and then halts with interrupts off, which would
;   stop QEMU for good. In each fresh copy the stub replaces that one HLT byte (F4, at HLT_OFFSET,
;   found by build.sh right after the store to 0x500) with INT3 (CC): the same point in the
;   program, but a trap to the stub's #BP handler (vector 3, SDM Vol. 3A §6.15) instead of a halt.
;   (A DR0 data breakpoint on 0x500 was tried first: under QEMU's TCG it made coremark-prot
;   several times slower, so it is not used.)
; - Each run prints "S" before it starts and "C <checksum> <TSC ticks>" (hex) when it ends on
;   debugcon (port 0xE9): the stub times each run itself with RDTSC (see calibrate), so QEMU's
;   start-up is never part of a measured run. After the last run the stub writes 0 to isa-debug-exit (port 0xF4):
;   QEMU exits with status (0 << 1) | 1 = 1.
;
; Environment given to the workload (GuestModeSetup's): flat segments (0x08 code, 0x10 data);
; long mode: identity paging of the low 4 GiB with 2-MiB pages, PML4 0x2000, PDPT 0x3000,
; PDs 0x4000..0x7FFF; protected mode: paging off. Interrupts off. One addition: SSE is enabled
; (see below), which the engine does not require.

%ifndef PAYLOAD
  %error "define PAYLOAD, the flat workload binary"
%endif
%ifndef HLT_OFFSET
  %error "define HLT_OFFSET, the offset of the crt's final HLT in the workload binary"
%endif
%ifndef REPS
  %define REPS 5
%endif

BASE        equ 0x800000
WORKLOAD    equ 0x100000
RESULT      equ 0x500
STACK_TOP   equ 0x7FF000
STUB_STACK  equ BASE + 0x80000
DEBUGCON    equ 0xE9
DEBUG_EXIT  equ 0xF4
CALIBRATION_TICKS equ 357954              ; 0.1 s of the 3.579545-MHz PM timer
CALIBRATION_GUARD equ 50000000            ; reads before giving up on a timer that does not tick
PML4        equ 0x2000
PDPT        equ 0x3000
PD0         equ 0x4000

        org BASE

; ---- ELF32 header: one loadable segment, the whole file, at BASE ---------------------------------
elf_header:
        db 0x7F, "ELF", 1, 1, 1, 0        ; ELFCLASS32, ELFDATA2LSB, EV_CURRENT, System V ABI
        times 8 db 0
        dw 2                              ; e_type ET_EXEC
        dw 3                              ; e_machine EM_386
        dd 1                              ; e_version
        dd start                          ; e_entry
        dd program_header - elf_header    ; e_phoff
        dd 0                              ; e_shoff: no sections
        dd 0                              ; e_flags
        dw 52                             ; e_ehsize
        dw 32                             ; e_phentsize
        dw 1                              ; e_phnum
        dw 40, 0, 0                       ; e_shentsize, e_shnum, e_shstrndx
program_header:
        dd 1                              ; PT_LOAD
        dd 0                              ; p_offset
        dd BASE, BASE                     ; p_vaddr, p_paddr
        dd file_end - BASE                ; p_filesz
        dd file_end - BASE                ; p_memsz
        dd 7                              ; RWX
        dd 0x1000                         ; p_align

; ---- Multiboot header (Multiboot spec 0.6.96 §3.1.1): must lie in the first 8 KiB -----------------
        align 4
multiboot_header:
        dd 0x1BADB002                     ; magic
        dd 0                              ; flags: nothing requested (ELF gives the layout)
        dd -(0x1BADB002 + 0)              ; checksum

; ---- GDT: 0x08 code (64-bit or 32-bit), 0x10 flat data, 0x18 32-bit code for the way to long mode --
        align 8
gdt:
        dq 0
%ifdef LONG_MODE
        dq 0x00AF9B000000FFFF             ; 0x08: G=1 L=1, present, DPL 0, execute/read, accessed
%else
        dq 0x00CF9B000000FFFF             ; 0x08: G=1 D=1, present, DPL 0, execute/read, accessed
%endif
        dq 0x00CF93000000FFFF             ; 0x10: G=1 B=1, present, DPL 0, read/write, accessed
        dq 0x00CF9B000000FFFF             ; 0x18: 32-bit code
gdt_end:
gdt_descriptor:
        dw gdt_end - gdt - 1
        dq gdt

runs_left:
        dd REPS
        align 8
tsc_start:  dq 0                          ; TSC when the current run (or the calibration) began
tsc_run:    dq 0                          ; TSC ticks the last run (or the calibration) took
pm_start:   dd 0
pm_port:    dd 0

; ---- 32-bit entry from the boot loader (SDM Vol. 3A §9.9 for the switch to IA-32e mode) ----------
        bits 32
start:
        cli
        mov esp, STUB_STACK
        lgdt [gdt_descriptor]
        jmp 0x18:.flat32
.flat32:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov fs, ax
        mov gs, ax
        ; SSE on (CR0.EM = 0, CR0.MP = 1, CR4.OSFXSR, CR4.OSXMMEXCPT; SDM Vol. 3A §13.1.3): compilers
        ; emit SSE2 for -m64 code, and the engine executes it without these bits, so the comparison
        ; runs the same instructions. Without them QEMU (like hardware) raises #UD on the first one.
        mov eax, cr0
        and eax, ~(1 << 2)
        or eax, 1 << 1
        mov cr0, eax
        mov eax, cr4
        or eax, (1 << 9) | (1 << 10)
        mov cr4, eax
%ifdef LONG_MODE
        ; Identity map 0..4 GiB with 2-MiB pages: PML4[0] -> PDPT, PDPT[i] -> PD i, PD i[j] -> 2 MiB page.
        mov edi, PML4
        mov ecx, (PD0 + 4 * 0x1000 - PML4) / 4
        xor eax, eax
        rep stosd
        mov dword [PML4], PDPT | 3
        mov ecx, 0
.pdpt:
        mov eax, ecx                      ; PD i at PD0 + i * 0x1000
        shl eax, 12
        add eax, PD0 | 3
        mov [PDPT + ecx * 8], eax
        inc ecx
        cmp ecx, 4
        jb .pdpt
        mov ecx, 0                        ; 2048 PDEs over the four consecutive PDs
.pde:
        mov eax, ecx
        shl eax, 21
        or eax, 0x83                      ; P, R/W, PS
        mov [PD0 + ecx * 8], eax
        mov dword [PD0 + ecx * 8 + 4], 0
        inc ecx
        cmp ecx, 2048
        jb .pde
        mov eax, PML4
        mov cr3, eax
        mov eax, cr4
        or eax, 1 << 5                    ; CR4.PAE
        mov cr4, eax
        mov ecx, 0xC0000080               ; IA32_EFER
        rdmsr
        or eax, 1 << 8                    ; LME
        wrmsr
        mov eax, cr0
        or eax, (1 << 31) | 1             ; PG, PE: IA-32e mode becomes active (LMA = 1)
        mov cr0, eax
        jmp 0x08:long_entry

        bits 64
long_entry:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov rsp, STUB_STACK
        lidt [idt_descriptor]
        call calibrate
run_once:
        mov rsp, STUB_STACK
        call copy_payload
        mov al, 'S'
        out DEBUGCON, al
        mov al, 10
        out DEBUGCON, al
        rdtsc                             ; the run starts now
        mov [tsc_start], eax
        mov [tsc_start + 4], edx
        xor eax, eax
        xor ebx, ebx
        xor ecx, ecx
        xor edx, edx
        xor esi, esi
        xor edi, edi
        xor ebp, ebp
        push 2
        popfq                             ; RFLAGS = 2: IF = 0, DF = 0
        mov rsp, STACK_TOP
        mov eax, WORKLOAD
        jmp rax

; #BP from the INT3 that replaced the crt's HLT: report, then run again or leave QEMU.
bp_handler:
        rdtsc                             ; the run ended (first thing, before any reporting)
        sub eax, [tsc_start]
        sbb edx, [tsc_start + 4]
        mov [tsc_run], eax
        mov [tsc_run + 4], edx
        mov rsp, STUB_STACK
        call report
        dec dword [runs_left]
        jnz run_once
        jmp quit

%else   ; ---- protected mode, no paging --------------------------------------------------------
        lidt [idt_descriptor]
        jmp 0x08:.reload
.reload:
        call calibrate
run_once:
        mov esp, STUB_STACK
        call copy_payload
        mov al, 'S'
        out DEBUGCON, al
        mov al, 10
        out DEBUGCON, al
        rdtsc                             ; the run starts now
        mov [tsc_start], eax
        mov [tsc_start + 4], edx
        xor eax, eax
        xor ebx, ebx
        xor ecx, ecx
        xor edx, edx
        xor esi, esi
        xor edi, edi
        xor ebp, ebp
        push 2
        popfd
        mov esp, STACK_TOP
        jmp WORKLOAD

bp_handler:
        rdtsc                             ; the run ended (first thing, before any reporting)
        sub eax, [tsc_start]
        sbb edx, [tsc_start + 4]
        mov [tsc_run], eax
        mov [tsc_run + 4], edx
        mov esp, STUB_STACK
        call report
        dec dword [runs_left]
        jnz run_once
        jmp quit
%endif

; ---- helpers written in the common subset of 32- and 64-bit code (no pushes of 32-bit regs) -------

copy_payload:
        cld
        mov esi, payload
        mov edi, WORKLOAD
        mov ecx, payload_end - payload
        rep movsb
        mov byte [WORKLOAD + HLT_OFFSET], 0xCC   ; INT3 where the crt halts
        ret

; Each run is timed by the guest itself with RDTSC, because a host reader timestamping debugcon
; lines can be descheduled on a loaded machine and see several lines at once. QEMU's TCG derives
; the guest TSC from the host's; its rate is calibrated once per boot against the ACPI PM timer
; (3.579545 MHz, 24 bits; ACPI spec §4.8.3.3) of QEMU's pc machine, at offset 8 of the I/O block
; the firmware assigned to the PIIX4 power-management function (bus 0, device 1, function 3,
; PMBA config register 0x40; read through PCI configuration mechanism #1, ports 0xCF8/0xCFC).
; Prints "F <TSC ticks, 16 hex digits> <PM-timer ticks, 8 hex digits>" for about 0.1 s, or PM
; ticks 0 when no timer ticks (another machine type): the host then times runs itself.
calibrate:
        mov dx, 0xCF8
        mov eax, 0x80000000 | (1 << 11) | (3 << 8) | 0x40
        out dx, eax
        mov dx, 0xCFC
        in eax, dx
        and eax, 0xFFC0                   ; PMBA: I/O base, 64-byte aligned
        add eax, 8                        ; PM1_TMR
        mov [pm_port], eax
        mov edx, eax
        in eax, dx
        and eax, 0xFFFFFF
        mov [pm_start], eax
        rdtsc
        mov [tsc_start], eax
        mov [tsc_start + 4], edx
        mov esi, CALIBRATION_GUARD
.wait:
        dec esi
        jz .no_timer
        mov edx, [pm_port]
        in eax, dx
        sub eax, [pm_start]
        and eax, 0xFFFFFF                 ; the counter wraps at 2^24
        cmp eax, CALIBRATION_TICKS
        jb .wait
        jmp .done
.no_timer:
        xor eax, eax
.done:
        mov [pm_start], eax               ; now the elapsed PM ticks
        rdtsc
        sub eax, [tsc_start]
        sbb edx, [tsc_start + 4]
        mov [tsc_run], eax
        mov [tsc_run + 4], edx
        mov al, 'F'
        call print_char
        call print_tsc_run
        mov al, ' '
        call print_char
        mov edx, [pm_start]
        call print_hex32
        mov al, 10
        jmp print_char

; Prints "C <the dword at RESULT, 8 hex digits> <TSC ticks of the run, 16 hex digits>".
report:
        mov al, 'C'
        call print_char
        mov al, ' '
        call print_char
        mov edx, [RESULT]
        call print_hex32
        call print_tsc_run
        mov al, 10
        jmp print_char

; " " + tsc_run as 16 hex digits.
print_tsc_run:
        mov al, ' '
        call print_char
        mov edx, [tsc_run + 4]
        call print_hex32
        mov edx, [tsc_run]
        jmp print_hex32

; EDX as 8 hex digits.
print_hex32:
        mov ecx, 8
.digit:
        rol edx, 4
        mov eax, edx
        and eax, 0xF
        mov al, [hex_digits + eax]
        out DEBUGCON, al
        dec ecx
        jnz .digit
        ret

print_char:
        out DEBUGCON, al
        ret

quit:
        mov al, 0
        out DEBUG_EXIT, al
        hlt
        jmp quit

hex_digits:
        db "0123456789abcdef"

; ---- IDT: only #BP (vector 3) has a gate; the others are not present, so any other exception ends
;      in a triple fault and (with -no-reboot) QEMU exits without printing "C": a visible failure.
%define ABS(label) ((label) - elf_header + BASE)   ; a scalar, so nasm can shift it
        align 16
idt:
%ifdef LONG_MODE
        times 3 * 16 db 0                 ; vectors 0..2
        ; 64-bit interrupt gate (SDM Vol. 3A §6.14.1, Figure 6-8): offset split 15:0 / 31:16 / 63:32.
        dw ABS(bp_handler) & 0xFFFF
        dw 0x08
        db 0, 0x8E
        dw ABS(bp_handler) >> 16
        dd 0, 0
idt_end:
%else
        times 3 * 8 db 0                  ; vectors 0..2
        ; 32-bit interrupt gate (§6.11, Figure 6-2).
        dw ABS(bp_handler) & 0xFFFF
        dw 0x08
        db 0, 0x8E
        dw ABS(bp_handler) >> 16
idt_end:
%endif
idt_descriptor:
        dw idt_end - idt - 1
        dq idt

        align 16
payload:
        incbin PAYLOAD
payload_end:
file_end:
