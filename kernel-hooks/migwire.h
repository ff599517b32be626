/*
 * migwire.h - the migration daemons' protocol (migd.h): the messages
 * they send each other over the kernel's mailboxes (MAILBOX_KS_MIGRATE),
 * one mailbox payload each, and the writes across the kernel portal
 * that put a reason or figures into a buffer its receiver owns. The
 * daemons share nothing else: a message says where the bytes its
 * receiver may read lie on the sender's node, and how many; the receiver
 * reads them there across the portal (memory the NoC moves).
 *
 * A migration of pid from node S to node T, asked by requester R:
 *
 *   R -> S  START     pid, T, mode, rounds; where R's result and reason
 *                     buffers lie
 *   S -> T  PREPARE   pid, the pages it will bring; where S's reason
 *                     buffer lies (a refusal is written there; every
 *                     message of S to T says it)
 *   T -> S  READY     T has room and watches for the stream
 *        or REFUSED   rc, the reason written into S's buffer: S gives up
 *   (pre-copy, while pid runs: rounds of the pages written since the last)
 *   S -> T  OFFER     round k: where the stream lies on S, its length
 *   T -> S  TAKEN     T landed the round's pages (or REFUSED)
 *   (pid frozen on S)
 *   S -> T  OFFER     the last: the stream, its stop point; post-copy: where
 *                     the table of pages left behind lies, its length
 *   T -> S  RUNNING   pid runs on T since ns; the bytes and modelled time
 *                     the stream cost (or REFUSED: pid runs on on S)
 *   (post-copy: T brings the pages left on S, when touched or pulled)
 *   T -> S  LANDED    every page is on T (or never will be): fetched,
 *                     pulled, lost; their bytes and modelled time
 *   S -> R  ANSWER    id, stage (RUNS, DONE), rc; figures and reason
 *                     written into R's buffers first
 *   S -> T  ABORT     S gave up after READY: T forgets the rounds
 *
 * The source's and the target's state machines are migsrc.c and
 * migdst.c, each a table of state x message.
 */
#ifndef MIGWIRE_H
#define MIGWIRE_H

#include <stddef.h>
#include <stdint.h>

struct noc;

enum migwire_op {
	MIGWIRE_START = 1,
	MIGWIRE_PREPARE,
	MIGWIRE_READY,
	MIGWIRE_REFUSED,
	MIGWIRE_OFFER,
	MIGWIRE_TAKEN,
	MIGWIRE_RUNNING,
	MIGWIRE_LANDED,
	MIGWIRE_ANSWER,
	MIGWIRE_ABORT,
	MIGWIRE_OPS
};

/* An OFFER's round: the last, frozen one. */
#define MIGWIRE_LAST UINT32_MAX

/* Bytes of a reason, with its NUL (a crerr's msg). */
#define MIGWIRE_REASON 512

/* A control message; what each field holds, per op. */
struct migwire_msg {
	uint32_t op; /* enum migwire_op */
	uint32_t id; /* the requester's request (0: the process asked itself) */
	uint32_t pid;
	uint32_t node; /* START: the target; else the sender */
	uint32_t mode; /* enum migd_mode */
	uint32_t arg;  /* START: rounds at most; PREPARE: pages; OFFER, TAKEN: round;
	                  ANSWER: stage; LANDED: pages fetched */
	uint32_t arg2; /* OFFER: lazy pages; LANDED: pages pulled */
	uint32_t arg3; /* LANDED: pages lost */
	int32_t rc;    /* REFUSED, ANSWER: 0 or -errno */
	uint32_t pad;
	uint64_t ns;       /* RUNNING: host time it runs on the target since */
	uint64_t reply;    /* START, PREPARE, OFFER: where the sender's reason buffer
	                      lies (MIGWIRE_REASON bytes), for a refusal or an answer */
	uint64_t addr;     /* START: the requester's two results (RUNS, DONE); OFFER:
	                      the stream */
	uint64_t len;      /* OFFER: the stream's bytes */
	uint64_t addr2;    /* OFFER (last): the table of lazy pages */
	uint64_t stop_at;  /* OFFER (last): the process's stop point */
	uint64_t bytes;    /* RUNNING, LANDED: bytes across the NoC */
	uint64_t model_ns; /* RUNNING, LANDED: their modelled time */
};
_Static_assert(sizeof(struct migwire_msg) <= 128, "a control message is one mailbox payload");

/* A pointer as a message carries it, and back. */
static inline uint64_t migwire_addr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}
static inline void *migwire_ptr(uint64_t a)
{
	return (void *)(uintptr_t)a;
}

/* The name of message op ("OFFER"), for logs; "unknown" for none. */
const char *migwire_op_name(uint32_t op);

/* Sends msg from node src to node dst's daemon. Only host memory can
 * fail there (the queue grows): the peer then never hears, as if the
 * NoC had lost the message. */
void migwire_send(struct noc *noc, uint32_t src, uint32_t dst, const struct migwire_msg *msg);

/* Writes len bytes at src (src_node's memory) to dst on node to, across
 * the kernel portal: a reason or figures into a buffer its receiver owns. */
void migwire_write(struct noc *noc, uint32_t src_node, uint32_t portal_max, uint32_t to, void *dst,
                   const void *src, size_t len);

/* Takes the next message for node's daemon: 1 with *msg and its sender
 * *src, 0 if none is waiting. */
int migwire_recv(struct noc *noc, uint32_t node, struct migwire_msg *msg, uint32_t *src);

#endif /* MIGWIRE_H */
