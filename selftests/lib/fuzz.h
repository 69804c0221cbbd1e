/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hotmem fuzzer's engine: a seeded, reproducible random walk of
 * operations against a model the test keeps, checked after every step
 * (the errno the README documents, the whole observable state, a kernel
 * log free of WARN/BUG/Oops), with the failing sequence shrunk to the
 * shortest one that still fails.  The operations and the model are the
 * module's own (fuzz_pagemap, fuzz_kmem); the input grammar and its
 * oracle, an independent reading of the README's rules, are shared.
 */
#ifndef HM_FUZZ_H
#define HM_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/* longest input one step writes: a 4 KiB string and some */
#define FZ_BUF		4200
/* longest path a step names */
#define FZ_PATH		128
/* most steps of one case */
#define FZ_MAX_STEPS	400

/**
 * struct fz_rng - the walk's random numbers (xorshift64*), from one seed
 * @s: state, never 0
 */
struct fz_rng {
	__u64 s;
};

void fz_seed(struct fz_rng *r, __u64 seed);
__u64 fz_next(struct fz_rng *r);
__u64 fz_below(struct fz_rng *r, __u64 n);
bool fz_chance(struct fz_rng *r, unsigned int percent);
__u64 fz_mix(__u64 a, __u64 b);

/**
 * struct fz_op - one step, concrete enough to replay without the walk
 * @code: the model's operation
 * @path: the file or device it acts on, if any
 * @i1: a small argument (an index, a flag)
 * @n1: a number (an offset, a start)
 * @n2: a number (a length)
 * @len: bytes of @buf to write
 * @buf: the bytes, NULs and all
 */
struct fz_op {
	int code;
	char path[FZ_PATH];
	int i1;
	__u64 n1;
	__u64 n2;
	size_t len;
	char buf[FZ_BUF];
};

/**
 * struct fz_model - what a module's fuzzer provides to the engine
 * @name: "pagemap", "kmem"
 * @reset: bring the kernel and the model to the start state of a case;
 *	0, or -errno (the case cannot run: an error of the test, not a finding)
 * @gen: the next operation, chosen from the model's state; @inputs:
 *	favour malformed and limit inputs over a walk of valid ones
 * @step: do @op on the kernel and the model; 0, or -1 with @why filled
 *	in if the kernel did not do what the model says
 * @check: compare every observable state with the model; 0 or -1
 * @describe: @op as one line a person can read
 * @cleanup: leave the kernel as before the first reset
 * @count: operations of each code done, for the summary
 * @names: name of each code
 * @nr_codes: number of codes
 */
struct fz_model {
	const char *name;
	int (*reset)(void);
	void (*gen)(struct fz_rng *r, bool inputs, struct fz_op *op);
	int (*step)(const struct fz_op *op, char *why, size_t len);
	int (*check)(char *why, size_t len);
	void (*describe)(const struct fz_op *op, char *buf, size_t len);
	void (*cleanup)(void);
	unsigned long *count;
	const char *const *names;
	int nr_codes;
};

/**
 * struct fz_config - one fuzzing run
 * @seconds: how long to walk (new cases start until then)
 * @seed: the run's seed; case N runs from fz_mix(@seed, N)
 * @one_case: replay only the case with this seed (0: all)
 * @steps: steps per case
 * @inputs: the input-grammar flavour of the walk
 * @log: where each step is written before it runs, for a crash
 */
struct fz_config {
	unsigned int seconds;
	__u64 seed;
	__u64 one_case;
	int steps;
	bool inputs;
	const char *log;
};

int fz_run(const struct fz_model *m, const struct fz_config *cfg);
int fz_run_forked(const struct fz_model *m, const struct fz_config *cfg);
void fz_config_from_env(struct fz_config *cfg, unsigned int seconds, int steps,
			bool inputs);

int fz_kmsg_open(void);
bool fz_kernel_broken(void);
int fz_kmsg_check(char *why, size_t len);

int fz_write(const char *path, const void *buf, size_t len);
int fz_exec(const char *prog, const char *a1, const char *a2);
int fz_read(const char *path, char *buf, size_t len);

/* the input grammar (README, ATTRIBUTES) and its oracle */

/**
 * enum fz_base - how the oracle reads a number
 * @FZ_DEC: decimal, no leading zeros
 * @FZ_DEC_OR_HEX: that, or "0x" and hex digits
 * @FZ_HEX: hex digits, "0x" optional
 */
enum fz_base { FZ_DEC, FZ_DEC_OR_HEX, FZ_HEX };

int fz_oracle_value(const char *buf, size_t len, size_t *vlen);
int fz_oracle_num(const char *s, size_t len, enum fz_base base, __u64 *val);
int fz_oracle_u64(const char *buf, size_t len, __u64 *val);
int fz_oracle_switch(const char *buf, size_t len, bool *val);
int fz_oracle_bool(const char *buf, size_t len, bool *val);
size_t fz_param_len(const char *buf, size_t len);
int fz_oracle_param_bool(const char *buf, size_t len, bool *val);
bool fz_oracle_word(const char *buf, size_t len, const char *word);
int fz_oracle_range(const char *buf, size_t len, __u64 *start, __u64 *end);

size_t fz_gen_number(struct fz_rng *r, __u64 v, enum fz_base base,
		     bool mutate, char *buf);
size_t fz_gen_switch(struct fz_rng *r, bool mutate, char *buf);
size_t fz_gen_bool(struct fz_rng *r, bool mutate, char *buf);
size_t fz_gen_word(struct fz_rng *r, const char *word, bool mutate, char *buf);
size_t fz_mutate(struct fz_rng *r, char *buf, size_t len);
__u64 fz_pick_size(struct fz_rng *r, __u64 unit, __u64 max);

const char *fz_errname(int err);
void fz_quote(const char *buf, size_t len, char *out, size_t outlen);

#endif /* HM_FUZZ_H */
