# umk: `make` builds ./linux; `make check` runs every test; `make run` boots.
CC       ?= gcc
BUILD    := build
CFLAGS   := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	    -fno-strict-aliasing -iquote include -MMD -MP
KERNEL   := linux
# make SANITIZE=1: the kernel itself under ASan and UBSan, as build-asan/linux.
ifeq ($(SANITIZE),1)
BUILD    := build-asan
KERNEL   := $(BUILD)/linux
CFLAGS   += -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS  += -fsanitize=address,undefined
endif
# The kernel proper sees only ISO C and POSIX basics from libc, never host
# kernel headers (ARCHITECTURE.md rule 1); host/ may use all of the host.
KERNEL_CFLAGS := $(CFLAGS) -D_DEFAULT_SOURCE
HOST_CFLAGS   := $(CFLAGS) -iquote host -iquote $(BUILD)
STUB_CFLAGS   := -O2 -ffreestanding -fno-stack-protector -fpie -no-pie -nostdlib -static \
		 -mgeneral-regs-only -fno-asynchronous-unwind-tables -fcf-protection=none \
		 -Wall -Wextra -Werror -Wl,--build-id=none
BUSYBOX  ?= /bin/busybox

KERNEL_DIRS := init kernel mm fs fs/tmpfs fs/hostfs fs/proc fs/devtmpfs fs/devpts fs/ext4 fs/sysfs drivers/char \
	       drivers/tty drivers/block net ipc
# fs/ext4/e2fs.c is the one file that includes libext2fs (and so host libc
# headers): it is built without the kernel's include path (fs/ext4/e2fs.h).
E2FS_SRC    := fs/ext4/e2fs.c
E2FS_CFLAGS := $(filter-out -iquote include,$(CFLAGS))
E2FS_LIBS   := -Wl,-Bstatic -lext2fs -lcom_err -Wl,-Bdynamic
KERNEL_SRC  := $(filter-out $(E2FS_SRC),$(foreach d,$(KERNEL_DIRS),$(wildcard $(d)/*.c)))
HOST_SRC    := $(wildcard host/*.c host/platform/*/*.c)
KERNEL_OBJ  := $(KERNEL_SRC:%.c=$(BUILD)/%.o) $(E2FS_SRC:%.c=$(BUILD)/%.o)
HOST_OBJ    := $(HOST_SRC:%.c=$(BUILD)/%.o)
ASM_OBJ     := $(BUILD)/host/stub_image.o $(BUILD)/init/initramfs_data.o

all: $(KERNEL) tools/ttyreplay

# Plays back the tty logs of tty_log_dir= (docs/ttylog.md).
tools/ttyreplay: tools/ttyreplay.c include/ttylog_format.h
	$(CC) -O2 -Wall -Wextra -Werror -iquote include -o $@ $<

$(KERNEL): $(KERNEL_OBJ) $(HOST_OBJ) $(ASM_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(E2FS_LIBS) -pthread

$(BUILD)/fs/ext4/e2fs.o: fs/ext4/e2fs.c
	@mkdir -p $(dir $@)
	$(CC) $(E2FS_CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(if $(filter host/%,$<),$(HOST_CFLAGS),$(KERNEL_CFLAGS)) -c $< -o $@

# The stub: a freestanding program whose gadget addresses ./linux needs.
STUB_SRC := $(wildcard host/stub/*.c host/stub/*.S)
$(BUILD)/stub.elf: $(STUB_SRC) $(wildcard host/stub/*.h) host/stub/stub.lds
	@mkdir -p $(BUILD)
	$(CC) $(STUB_CFLAGS) -T host/stub/stub.lds -o $@ $(STUB_SRC)

$(BUILD)/stub_syms.h: $(BUILD)/stub.elf
	nm $< | awk '/ T stub_(syscall|clone|cmpxchg|park|tramp_nr|tramp_r9)$$/ { printf "#define %s_ADDR 0x%sULL\n", toupper($$3), $$1 }' > $@

$(filter $(BUILD)/host/platform/%,$(HOST_OBJ)): $(BUILD)/stub_syms.h

$(BUILD)/host/stub_image.o: host/stub_image.S $(BUILD)/stub.elf
	@mkdir -p $(dir $@)
	$(CC) -c -DSTUB_ELF='"$(BUILD)/stub.elf"' $< -o $@

# The embedded root filesystem.
$(BUILD)/gen_init_cpio: tools/gen_init_cpio.c
	@mkdir -p $(BUILD)
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<

$(BUILD)/initramfs.cpio: $(BUILD)/gen_init_cpio tools/initramfs-list $(shell find init/rootfs -type f) $(BUSYBOX)
	tools/initramfs-list $(BUSYBOX) init/rootfs > $(BUILD)/initramfs.list
	$(BUILD)/gen_init_cpio $(BUILD)/initramfs.list > $@

$(BUILD)/init/initramfs_data.o: init/initramfs_data.S $(BUILD)/initramfs.cpio
	@mkdir -p $(dir $@)
	$(CC) -c -DINITRAMFS='"$(BUILD)/initramfs.cpio"' $< -o $@

# Tests: guest programs are built for the host, run natively and in ./linux.
GUEST_SRC := $(wildcard tests/guest/*.c)
GUEST_BIN := $(GUEST_SRC:tests/guest/%.c=$(BUILD)/tests/guest/%)

$(BUILD)/tests/guest/%: tests/guest/%.c tests/guest/t.h
	@mkdir -p $(dir $@)
	$(CC) -O1 -g -Wall -Wextra -Werror -Wno-unused-result -o $@ $< -lpthread \
		$(if $(findstring -static-pie,$*),-static-pie -fPIE,$(if $(findstring -static,$*),-static))

$(BUILD)/tests/closefds: tests/closefds.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<

.SECONDEXPANSION:
include tests/unit/unit.mk

deps:
	@tools/install-deps build

check-deps:
	@tools/install-deps check

run: deps
	$(MAKE) linux
	./linux

# Guest tests run on both platforms unless PLATFORMS says otherwise.
check: check-deps
	$(MAKE) linux tools/ttyreplay $(GUEST_BIN) $(UNIT_BIN) $(BUILD)/tests/closefds
	PLATFORMS="$${PLATFORMS-ptrace seccomp}" tests/run

clean:
	rm -rf $(BUILD) linux tools/ttyreplay

format:
	clang-format -i $(KERNEL_SRC) $(HOST_SRC) $(wildcard include/*.h include/uapi/*.h host/*.h host/stub/*.[ch])

.PHONY: all run check deps check-deps clean format
-include $(KERNEL_OBJ:.o=.d) $(HOST_OBJ:.o=.d)
