/* ELF64 as the x86-64 loader reads it, and the auxiliary vector. */
#ifndef UAPI_ELF_H
#define UAPI_ELF_H
#include "uapi/types.h"

typedef struct {
	unsigned char e_ident[16];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
} Elf64_Ehdr;

typedef struct {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
} Elf64_Phdr;

typedef struct {
	uint32_t n_namesz;
	uint32_t n_descsz;
	uint32_t n_type;
} Elf64_Nhdr;

#define ELFMAG	     "\177ELF"
#define ELFCLASS64   2
#define ELFDATA2LSB  1
#define EI_CLASS     4
#define EI_DATA	     5
#define EI_VERSION   6
#define EV_CURRENT   1
#define ET_EXEC	     2
#define ET_DYN	     3
#define ET_CORE	     4
#define EM_X86_64    62
#define PT_NULL	     0
#define PT_LOAD	     1
#define PT_DYNAMIC   2
#define PT_INTERP    3
#define PT_NOTE	     4
#define PT_PHDR	     6
#define PT_TLS	     7
#define PT_GNU_STACK 0x6474e551
#define PF_X	     1
#define PF_W	     2
#define PF_R	     4

#define AT_NULL		 0
#define AT_IGNORE	 1
#define AT_EXECFD	 2
#define AT_PHDR		 3
#define AT_PHENT	 4
#define AT_PHNUM	 5
#define AT_PAGESZ	 6
#define AT_BASE		 7
#define AT_FLAGS	 8
#define AT_ENTRY	 9
#define AT_NOTELF	 10
#define AT_UID		 11
#define AT_EUID		 12
#define AT_GID		 13
#define AT_EGID		 14
#define AT_PLATFORM	 15
#define AT_HWCAP	 16
#define AT_CLKTCK	 17
#define AT_SECURE	 23
#define AT_BASE_PLATFORM 24
#define AT_RANDOM	 25
#define AT_HWCAP2	 26
#define AT_EXECFN	 31
#define AT_SYSINFO_EHDR	 33
#define AT_MINSIGSTKSZ	 51

#endif
