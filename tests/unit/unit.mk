# Unit tests: kernel sources built natively with ASan and UBSan, with
# tests/unit/fakes.c standing in for the host.
UNIT_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter -iquote include \
	       -D_DEFAULT_SOURCE -fsanitize=address,undefined -fno-sanitize-recover=all \
	       -fno-omit-frame-pointer
UNIT_TESTS := cmdline printk n_tty iov_iter ubd host_file
unit_cmdline_SRC := init/cmdline.c
unit_printk_SRC := kernel/printk.c
unit_n_tty_SRC := drivers/tty/n_tty.c mm/iov_iter.c
unit_iov_iter_SRC := mm/iov_iter.c
# ubd over real host files in a scratch directory.
unit_ubd_SRC := drivers/block/ubd.c fs/block_dev.c mm/iov_iter.c kernel/printk.c kernel/lib.c host/image.c \
		host/file.c
unit_host_file_SRC := host/file.c
UNIT_BIN := $(UNIT_TESTS:%=$(BUILD)/tests/unit/%)

$(BUILD)/tests/unit/%: tests/unit/%.c tests/unit/fakes.c tests/unit/unit.h $$(unit_%_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -o $@ $< tests/unit/fakes.c $(unit_$*_SRC)
