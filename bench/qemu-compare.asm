; vmlab bench guest (bench/qemu-compare.ts): a boot sector that writes one word per page over
; 64 MiB (pages from 16 MiB to 80 MiB), first once at full speed so every page is non-zero,
; then PAGES_PER_TICK pages per PIT tick, TICKS_PER_SECOND ticks a second, forever.
; The two words before the boot signature are patched by the bench to set the rate.
bits 16
org 0x7c00

SWEEP_BASE equ 0x01000000
SWEEP_END  equ 0x05000000
BDA_TICKS  equ 0x046c
PAGES_WRITTEN equ 0x0500      ; a free word of low memory, read by the bench

start:
  cli
  xor ax, ax
  mov ds, ax
  mov ss, ax
  mov sp, 0x7c00
  in al, 0x92                 ; fast A20
  or al, 2
  and al, 0xfe
  out 0x92, al
  lgdt [gdt_desc]             ; unreal mode: ES keeps a flat 4 GiB limit back in real mode
  mov eax, cr0
  or al, 1
  mov cr0, eax
  jmp short .pm
.pm:
  mov bx, 8
  mov es, bx
  and al, 0xfe
  mov cr0, eax
  jmp short .rm
.rm:
  mov edi, SWEEP_BASE         ; fill: every page of the sweep non-zero before migration
  mov ebp, 1
.fill:
  mov [es:edi], ebp
  add edi, 4096
  cmp edi, SWEEP_END
  jb .fill
  mov edi, SWEEP_BASE
  mov al, 0x34                ; PIT channel 0, rate generator, at the patched divisor
  out 0x43, al
  mov ax, [divisor]
  out 0x40, al
  mov al, ah
  out 0x40, al
  mov eax, [BDA_TICKS]
  mov [last_ticks], eax
.tick:
  sti
  hlt                         ; the BIOS's IRQ0 handler counts ticks at 0:046c
  cli
  mov eax, [BDA_TICKS]
  mov edx, eax
  sub edx, [last_ticks]
  jz .tick
  mov [last_ticks], eax
  movzx ecx, word [pages_per_tick]
  imul ecx, edx
  add [PAGES_WRITTEN], ecx    ; the bench reads this to measure the real rate
  inc ebp
.write:
  mov [es:edi], ebp
  add edi, 4096
  cmp edi, SWEEP_END
  jb .next
  mov edi, SWEEP_BASE
.next:
  dec ecx
  jnz .write
  jmp .tick

align 8
gdt:
  dq 0
  dq 0x00cf92000000ffff       ; flat data segment, base 0, limit 4 GiB
gdt_desc:
  dw gdt_desc - gdt - 1
  dd gdt
last_ticks: dd 0

times 506 - ($ - $$) db 0
divisor: dw 1193              ; PIT input 1193182 Hz / 1193: 1000 ticks a second
pages_per_tick: dw 1
dw 0xaa55
