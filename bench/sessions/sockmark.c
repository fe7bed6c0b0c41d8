/* sockmark CGROUP MARK: attaches a cgroup/sock_create BPF program to the
 * cgroup v2 directory CGROUP that gives every socket created inside it the
 * packet mark MARK, holds it until stdin closes, then detaches it.
 *
 * For bench/sessions: DESIGN.md asks whether marking an application's
 * sockets when they are created (so the first route lookup already sees the
 * session's mark) removes the cost of the re-route that marking packets in a
 * route-type output chain causes. The program is four instructions, built
 * by hand with the raw bpf() syscall: no libbpf, no BPF compiler. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <sys/syscall.h>

static int bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	return (struct bpf_insn) { .code = code, .dst_reg = dst, .src_reg = src, .off = off,
				   .imm = imm };
}

static int load(uint32_t mark)
{
	/* r2 = mark; ctx->mark = r2; return 1 (allow the socket) */
	struct bpf_insn prog[] = {
		insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, (int32_t)mark),
		insn(BPF_STX | BPF_MEM | BPF_W, BPF_REG_1, BPF_REG_2,
		     offsetof(struct bpf_sock, mark), 0),
		insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 1),
		insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	static char log[4096];
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_SOCK;
	attr.expected_attach_type = BPF_CGROUP_INET_SOCK_CREATE;
	attr.insns = (uint64_t)(uintptr_t)prog;
	attr.insn_cnt = sizeof(prog) / sizeof(prog[0]);
	attr.license = (uint64_t)(uintptr_t)"GPL";
	attr.log_buf = (uint64_t)(uintptr_t)log;
	attr.log_size = sizeof(log);
	attr.log_level = 1;
	fd = bpf(BPF_PROG_LOAD, &attr);
	if (fd < 0)
		fprintf(stderr, "sockmark: BPF_PROG_LOAD: %s\n%s", strerror(errno), log);
	return fd;
}

int main(int argc, char **argv)
{
	union bpf_attr attr;
	int prog, cgroup;
	char c;

	if (argc != 3) {
		fprintf(stderr, "usage: sockmark CGROUP MARK\n");
		return 2;
	}
	prog = load((uint32_t)strtoul(argv[2], NULL, 0));
	cgroup = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (prog < 0 || cgroup < 0) {
		if (cgroup < 0)
			fprintf(stderr, "sockmark: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (uint32_t)cgroup;
	attr.attach_bpf_fd = (uint32_t)prog;
	attr.attach_type = BPF_CGROUP_INET_SOCK_CREATE;
	if (bpf(BPF_PROG_ATTACH, &attr) < 0) {
		fprintf(stderr, "sockmark: BPF_PROG_ATTACH: %s\n", strerror(errno));
		return 1;
	}
	printf("attached\n");
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	bpf(BPF_PROG_DETACH, &attr);
	return 0;
}
