// Scenario: the support desk's live events reach exactly the right sockets
// (docs/api.md "Rooms and audiences", "Server → client events"). A
// consultation's events go to its customer (room `user:{id}` and its
// conversation's room) and to its organization's agents (room
// `org:{org_id}:agents`), and to nobody else.
//
// Every socket records, in arrival order, every event of the chat and the
// support desk it receives. After each step the script proves what each
// socket got — and that the others got nothing — without waiting on a
// clock: it sends a sentinel message to EVERYONE, a group every user of the
// scenario is in, and once every socket has received the sentinel, whatever
// the step caused has arrived before it (one server emits to one socket in
// order); each socket's record is then compared, whole and in order, with
// what the step must have caused for it.
//
// PART chooses the scenario:
// - `audiences`: org A's owner and agent, the customer's two sockets, a
//   stranger and org B's owner; opening, an agent's `message:send`, typing
//   both ways, the stranger's refused events, the customer's message, and a
//   consultation with B that A never hears of.
// - `status`: assign (twice to the same agent: the second is silent),
//   reassign, close, the refused sends of a closed consultation, reopen,
//   sending again, close by the customer; each change a `system` note.
// - `membership`: a connected user added as an agent hears the
//   organization's consultations at once (all their sockets), can act in
//   them by role, and once removed hears nothing (their consultation going
//   back to the queue is announced to the others); creating an organization
//   joins its room at once too.
// - `unread`: the agents' shared unread count and the customer's own, moved
//   by messages, the FAQ shortcut and `read` (forward only), with the
//   `read` receipts.
//
// Env: PARLEY_URL, PART, PEOPLE (JSON: name → {id, token, token2?,
// username, display_name}), EVERYONE (the group's id), ORG_A, ORG_B (slugs),
// FAQ_ID (an entry of ORG_A's FAQ, for `unread`), RESULT_FILE.
// Output: RESULT_FILE = {consultation_id, conversation_id, messages (the
// support conversation's messages as delivered, in seq order), customer_view,
// agents_view} for the Rust side to compare with what REST serves.

import { env, scenario, withTimeout } from "./lib.mjs";
import { assert, ask, connect, ok, refusedWith, rest, sleep, writeResult } from "./chat_lib.mjs";

/** The events a socket's record keeps (presence and posts are not this scenario's). */
const WATCHED = new Set([
  "consultation:updated",
  "conversation:created",
  "conversation:updated",
  "message:new",
  "message:updated",
  "message:deleted",
  "read",
  "typing",
]);
/** How long the sentinel may take to reach every socket. */
const SENTINEL_MS = 10_000;

const people = JSON.parse(env("PEOPLE"));
const everyone = env("EVERYONE");
const ORG_A = env("ORG_A");
const ORG_B = env("ORG_B");

/** A person of PEOPLE. */
function who(name) {
  const p = people[name];
  assert.ok(p, `PEOPLE has no ${name}`);
  return p;
}

/** Every socket of the scenario, by label. */
const sockets = new Map();

/** Connects `label` as `name` (its second session's token with `second`). */
async function open(label, name, transport, second = false) {
  const token = second ? who(name).token2 : who(name).token;
  assert.ok(token, `${name}: a token${second ? " for a second session" : ""}`);
  const s = await connect(label, token, transport);
  s.got = [];
  s.onAny((event, payload) => {
    if (WATCHED.has(event)) s.got.push([event, payload]);
  });
  sockets.set(label, s);
  return s;
}

let sentinels = 0;

/**
 * Sends a sentinel to EVERYONE and waits until every socket received it;
 * then drops it from their records. Whatever an earlier step caused has
 * reached every socket by then.
 */
async function settle(what) {
  sentinels += 1;
  const sent = await rest("POST", `/api/v1/conversations/${everyone}/messages`, who("sentinel").token, {
    text: `sentinel ${sentinels}`,
  });
  assert.equal(sent.status, 201, `${what}: the sentinel: ${JSON.stringify(sent.body)}`);
  const id = sent.body.id;
  const isSentinel = ([event, payload]) => event === "message:new" && payload?.message?.id === id;
  await withTimeout(
    (async () => {
      while (![...sockets.values()].every((s) => s.got.some(isSentinel))) await sleep(5);
    })(),
    SENTINEL_MS,
    `${what}: the sentinel to reach ${[...sockets.values()]
      .filter((s) => !s.got.some(isSentinel))
      .map((s) => s.label)
      .join(", ")}`,
  );
  for (const s of sockets.values()) {
    const at = s.got.findIndex(isSentinel);
    s.got.splice(at, 1);
  }
}

/**
 * After `settle`: each socket's record must be exactly `expected[label]`
 * (`[[event, payload], ...]`, in order; a payload may be a function that
 * asserts), and nothing for a socket `expected` does not name. Empties the
 * records.
 */
function expect(what, expected) {
  for (const label of Object.keys(expected)) {
    assert.ok(sockets.has(label), `${what}: no socket ${label}`);
  }
  for (const s of sockets.values()) {
    const want = expected[s.label] ?? [];
    const got = s.got.splice(0);
    const shown = `${what}: ${s.label} received ${JSON.stringify(got)}`;
    assert.deepEqual(
      got.map(([event]) => event),
      want.map(([event]) => event),
      `${shown}; expected the events ${JSON.stringify(want.map(([event]) => event))}`,
    );
    want.forEach(([event, payload], i) => {
      if (typeof payload === "function") payload(got[i][1], `${what}: ${s.label}'s ${event}`);
      else assert.deepEqual(got[i][1], payload, `${what}: ${s.label}'s ${event} (#${i + 1})`);
    });
  }
}

/** `settle`, then `expect`. */
async function step(what, expected) {
  await settle(what);
  expect(what, expected);
}

/** The same expected events for several sockets. */
function each(labels, events) {
  return Object.fromEntries(labels.map((label) => [label, events]));
}

/** A REST call that must answer `status`; returns the body. */
async function call(method, path, name, body, status) {
  const r = await rest(method, path, who(name).token, body);
  assert.equal(r.status, status, `${name}: ${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A REST call that must be refused with `status` and `code`. */
async function refusedOverRest(method, path, name, body, status, code) {
  const r = await rest(method, path, who(name).token, body);
  assert.equal(r.status, status, `${name}: ${method} ${path}: ${JSON.stringify(r.body)}`);
  assert.equal(r.body?.error?.code, code, `${name}: ${method} ${path}: ${JSON.stringify(r.body)}`);
}

/** Opens a consultation with `slug` as `name`; asserts the customer's view. */
async function openConsultation(name, slug, subject, text) {
  const c = await call("POST", `/api/v1/orgs/${slug}/consultations`, name, { subject, text }, 201);
  assert.equal(c.subject, subject, `the new consultation: ${JSON.stringify(c)}`);
  assert.equal(c.status, "waiting", "no auto-assignment: it waits");
  assert.equal(c.assignee, null);
  assert.equal(c.customer.id, who(name).id);
  assert.equal(c.organization.slug, slug);
  assert.equal(c.unread_count, 0, "the customer has read their own first message");
  assert.equal(c.closed_at, null);
  const first = c.last_message;
  assertSupportMessage(first, slug, "the first message");
  assert.equal(first.seq, 1);
  assert.equal(first.kind, "text");
  assert.equal(first.text, text);
  assert.equal(first.sender.id, who(name).id);
  return c;
}

/** `path` under the consultation `c` of `slug`. */
const at = (slug, c, action = "") => `/api/v1/orgs/${slug}/consultations/${c.id}${action ? `/${action}` : ""}`;

/** Asserts a message of a support conversation of `slug` (any kind). */
function assertSupportMessage(m, slug, what) {
  assert.equal(typeof m, "object", `${what}: a Message: ${JSON.stringify(m)}`);
  assert.ok(Number.isInteger(m.seq) && m.seq >= 1, `${what}: seq: ${JSON.stringify(m)}`);
  assert.ok(["text", "auto", "system"].includes(m.kind), `${what}: kind: ${JSON.stringify(m)}`);
  if (m.kind === "text") assert.equal(typeof m.sender?.id, "string", `${what}: a text has a sender: ${JSON.stringify(m)}`);
  else assert.equal(m.sender, null, `${what}: ${m.kind} messages have no sender: ${JSON.stringify(m)}`);
  assert.equal(m.organization?.slug, slug, `${what}: labelled with its organization: ${JSON.stringify(m)}`);
  assert.equal(typeof m.organization?.name, "string", `${what}: organization.name: ${JSON.stringify(m)}`);
  assert.equal(m.deleted, false, `${what}: ${JSON.stringify(m)}`);
}

/** A `system` note of `slug` reading `text`, at `seq`. */
function assertNote(m, slug, seq, text, what) {
  assertSupportMessage(m, slug, what);
  assert.equal(m.kind, "system", `${what}: a system note: ${JSON.stringify(m)}`);
  assert.equal(m.sender, null);
  assert.equal(m.seq, seq, `${what}: seq`);
  assert.equal(m.text, text, `${what}: the note's text`);
}

/** `message:send` as socket `s`, acked ok; returns the stored text message. */
async function sendText(s, conversation_id, text, client_id, slug, sender) {
  const ack = ok(await ask(s, "message:send", { conversation_id, text, client_id }), `${s.label} sends ${client_id}`);
  const m = ack.message;
  assertSupportMessage(m, slug, `${s.label}'s ack of ${client_id}`);
  assert.equal(m.kind, "text");
  assert.equal(m.conversation_id, conversation_id);
  assert.equal(m.text, text);
  assert.equal(m.client_id, client_id);
  assert.equal(m.sender.id, who(sender).id, `${client_id}: sent by ${sender}`);
  return m;
}

/** A refused socket event. */
async function refusedOnSocket(s, event, payload, code) {
  refusedWith(await ask(s, event, payload), code, `${s.label}: ${event} ${JSON.stringify(payload)}`);
}

/** A consultation view with this unread count. */
const view = (c, unread_count) => ({ ...c, unread_count });
/** The `consultation:updated` event of that view. */
const updated = (c, unread_count) => ["consultation:updated", { consultation: view(c, unread_count) }];
/** The `message:new` event of `m`. */
const news = (m) => ["message:new", { message: m }];

/** Asserts `conversation:created` for the customer's new support conversation. */
function createdFor(c, name) {
  return (payload, what) => {
    const conv = payload?.conversation;
    assert.equal(conv?.id, c.conversation_id, `${what}: ${JSON.stringify(payload)}`);
    assert.equal(conv.kind, "support", `${what}: kind`);
    assert.deepEqual(
      conv.members.map((m) => m.id),
      [who(name).id],
      `${what}: the customer is its only member`,
    );
    assert.equal(conv.unread_count, 0, `${what}: unread_count`);
    assert.deepEqual(conv.last_message, c.last_message, `${what}: last_message`);
  };
}

/** Checks REST agrees with the live views, and writes the result. */
async function finish(c, messages, customer, agent, customerUnread, agentsUnread) {
  const asCustomer = await call("GET", at(c.organization.slug, c), customer, undefined, 200);
  assert.deepEqual(asCustomer, view(c, customerUnread), "GET as the customer: the last live view");
  const asAgent = await call("GET", at(c.organization.slug, c), agent, undefined, 200);
  assert.deepEqual(asAgent, view(c, agentsUnread), "GET as an agent: the last live view");
  writeResult({
    consultation_id: c.id,
    conversation_id: c.conversation_id,
    messages,
    customer_view: asCustomer,
    agents_view: asAgent,
  });
}

// ---------------------------------------------------------------------------

async function audiences() {
  await open("ann", "ann", "websocket");
  const abe = await open("abe", "abe", "polling");
  const cat1 = await open("cat-ws", "cat", "websocket");
  const cat2 = await open("cat-polling", "cat", "polling", true);
  const sam = await open("sam", "sam", "websocket");
  const bea = await open("bea", "bea", "polling");
  const customer = ["cat-ws", "cat-polling"];
  const agents = ["ann", "abe"];
  await step("after connecting", {});

  // The customer opens one: both of their sockets and A's agents hear of it.
  let c = await openConsultation("cat", ORG_A, "Where is my order?", "It has been two weeks.");
  const conv = c.conversation_id;
  const first = c.last_message;
  await step("cat opens a consultation with A", {
    ...each(customer, [["conversation:created", createdFor(c, "cat")], updated(c, 0)]),
    // The opening text is the customer's: unread for the agents.
    ...each(agents, [updated(c, 1)]),
  });

  // An agent answers over the socket: everyone of the consultation hears it.
  const reply = await sendText(abe, conv, "Let me check.", "abe-1", ORG_A, "abe");
  assert.equal(reply.seq, 2);
  c = { ...c, last_message: reply };
  await step("abe answers over message:send", {
    ...each(customer, [news(reply), updated(c, 1)]),
    // An agent's own message is not the customer's: still the first unread.
    ...each(agents, [news(reply), updated(c, 1)]),
  });

  // Typing goes to the others of the consultation: never the typist's own sockets.
  const typing = (user, value) => ["typing", { conversation_id: conv, user_id: who(user).id, typing: value }];
  ok(await ask(cat1, "typing", { conversation_id: conv, typing: true }), "cat types");
  await step("cat types", each(agents, [typing("cat", true)]));
  ok(await ask(abe, "typing", { conversation_id: conv, typing: true }), "abe types");
  await step("abe types", each([...customer, "ann"], [typing("abe", true)]));
  ok(await ask(cat2, "typing", { conversation_id: conv, typing: false }), "cat stops typing");
  await step("cat stops typing", each(agents, [typing("cat", false)]));
  ok(await ask(abe, "typing", { conversation_id: conv, typing: false }), "abe stops typing");
  await step("abe stops typing", each([...customer, "ann"], [typing("abe", false)]));

  // The stranger and another organization's owner can do nothing in it.
  for (const s of [sam, bea]) {
    await refusedOnSocket(s, "message:send", { conversation_id: conv, text: "let me in", client_id: `${s.label}-1` }, "not_found");
    await refusedOnSocket(s, "typing", { conversation_id: conv, typing: true }, "not_found");
    await refusedOnSocket(s, "read", { conversation_id: conv, seq: 2 }, "not_found");
    await refusedOnSocket(s, "sync", { conversation_id: conv, after_seq: 0 }, "not_found");
    await refusedOverRest("GET", at(ORG_A, c), s.label, undefined, 404, "not_found");
  }
  await step("outsiders' refused events", {});

  // The customer writes from their other socket: sending reads what came before.
  const thanks = await sendText(cat2, conv, "Thanks!", "cat-1", ORG_A, "cat");
  assert.equal(thanks.seq, 3);
  c = { ...c, last_message: thanks };
  await step("cat writes", {
    ...each(customer, [news(thanks), updated(c, 0)]),
    ...each(agents, [news(thanks), updated(c, 2)]),
  });

  // The stranger opens one with B: B's owner hears of it, A's agents do not.
  const other = await openConsultation("sam", ORG_B, "Hello B", "A question for B.");
  await step("sam opens a consultation with B", {
    sam: [["conversation:created", createdFor(other, "sam")], updated(other, 0)],
    bea: [updated(other, 1)],
  });

  await finish(c, [first, reply, thanks], "cat", "ann", 0, 2);
}

async function status() {
  const cat = await open("cat", "cat", "websocket");
  const abe = await open("abe", "abe", "polling");
  await open("ann", "ann", "websocket");
  await open("sam", "sam", "polling");
  const agents = ["ann", "abe"];
  const name = (n) => who(n).display_name;
  await step("after connecting", {});

  let c = await openConsultation("cat", ORG_A, "Broken", "It does not start.");
  const conv = c.conversation_id;
  const messages = [c.last_message];
  await step("cat opens", {
    cat: [["conversation:created", createdFor(c, "cat")], updated(c, 0)],
    ...each(agents, [updated(c, 1)]),
  });

  // Each change: its note as message:new, then the consultation's new state.
  // The customer's unread count counts the notes (from "anyone else").
  const change = async (what, actor, action, body, expectedStatus, seq, noteText, customerUnread, agentsUnread) => {
    const done = await call("POST", at(ORG_A, c, action), actor, body, 200);
    assert.equal(done.status, expectedStatus, `${what}: ${JSON.stringify(done)}`);
    assertNote(done.last_message, ORG_A, seq, noteText, what);
    assert.equal(done.last_message.conversation_id, conv);
    assert.equal(done.unread_count, actor === "cat" ? customerUnread : agentsUnread, `${what}: the actor's unread`);
    messages.push(done.last_message);
    c = done;
    await step(what, {
      cat: [news(done.last_message), updated(done, customerUnread)],
      ...each(agents, [news(done.last_message), updated(done, agentsUnread)]),
    });
    return done;
  };

  let done = await change("abe takes it", "abe", "assign", {}, "active", 2, `Assigned to ${name("abe")}`, 1, 1);
  assert.equal(done.assignee.id, who("abe").id);
  assert.equal(done.closed_at, null);

  // The same assignee again (by name, by another agent) changes nothing.
  const same = await call("POST", at(ORG_A, c, "assign"), "ann", { username: "abe" }, 200);
  assert.deepEqual(same, view(c, 1), "assigning the assignee again: the consultation as it was");
  await step("assigning the same agent again", {});

  done = await change("ann takes it over", "ann", "assign", {}, "active", 3, `Assigned to ${name("ann")}`, 2, 1);
  assert.equal(done.assignee.id, who("ann").id);

  done = await change("abe closes it", "abe", "close", undefined, "closed", 4, `Closed by ${name("abe")}`, 3, 1);
  assert.equal(typeof done.closed_at, "string", "closed_at is set");
  assert.equal(done.assignee.id, who("ann").id, "closing keeps the assignee");

  // Closed: no message gets in, from the customer or an agent, socket or REST.
  await refusedOnSocket(cat, "message:send", { conversation_id: conv, text: "Hello?", client_id: "cat-closed" }, "consultation_closed");
  await refusedOnSocket(abe, "message:send", { conversation_id: conv, text: "One more thing", client_id: "abe-closed" }, "consultation_closed");
  await refusedOverRest("POST", `/api/v1/conversations/${conv}/messages`, "cat", { text: "Hello?" }, 409, "consultation_closed");
  await refusedOverRest("POST", at(ORG_A, c, "close"), "cat", undefined, 409, "consultation_closed");
  await refusedOverRest("POST", at(ORG_A, c, "assign"), "abe", {}, 409, "consultation_closed");
  await step("refusals while closed", {});

  done = await change("cat reopens it", "cat", "reopen", undefined, "active", 5, `Reopened by ${name("cat")}`, 4, 1);
  assert.equal(done.assignee.id, who("ann").id, "back to its assignee");
  assert.equal(done.closed_at, null);
  await refusedOverRest("POST", at(ORG_A, c, "reopen"), "cat", undefined, 409, "consultation_not_closed");
  await step("reopening an open one", {});

  // Open again: the customer's message goes through (and reads the notes).
  const again = await sendText(cat, conv, "It starts now, thanks.", "cat-1", ORG_A, "cat");
  assert.equal(again.seq, 6);
  messages.push(again);
  c = { ...c, last_message: again };
  await step("cat writes after the reopen", {
    cat: [news(again), updated(c, 0)],
    ...each(agents, [news(again), updated(c, 2)]),
  });

  await change("cat closes it", "cat", "close", undefined, "closed", 7, `Closed by ${name("cat")}`, 1, 2);
  await finish(c, messages, "cat", "abe", 1, 2);
}

async function membership() {
  await open("ann", "ann", "websocket");
  const cat = await open("cat", "cat", "polling");
  const dan1 = await open("dan-ws", "dan", "websocket");
  await open("dan-polling", "dan", "polling", true);
  const dan = ["dan-ws", "dan-polling"];
  await step("after connecting", {});

  let c = await openConsultation("cat", ORG_A, "Refund", "I want my money back.");
  const conv = c.conversation_id;
  const messages = [c.last_message];
  await step("cat opens (dan is nobody yet)", {
    cat: [["conversation:created", createdFor(c, "cat")], updated(c, 0)],
    ann: [updated(c, 1)],
  });

  // dan becomes an agent: his connected sockets are in the agents' room at once.
  const agent = await call("POST", `/api/v1/orgs/${ORG_A}/agents`, "ann", { username: "dan", role: "agent" }, 201);
  assert.equal(agent.role, "agent");
  await step("dan is made an agent", {});
  const more = await sendText(cat, conv, "Order 42.", "cat-1", ORG_A, "cat");
  messages.push(more);
  c = { ...c, last_message: more };
  await step("cat writes, dan is an agent", {
    cat: [news(more), updated(c, 0)],
    ...each(["ann", ...dan], [news(more), updated(c, 2)]),
  });

  // He may act in it by role: take it, answer over the socket.
  let done = await call("POST", at(ORG_A, c, "assign"), "dan", {}, 200);
  assertNote(done.last_message, ORG_A, 3, `Assigned to ${who("dan").display_name}`, "dan takes it");
  messages.push(done.last_message);
  c = done;
  await step("dan takes it", {
    cat: [news(c.last_message), updated(c, 1)],
    ...each(["ann", ...dan], [news(c.last_message), updated(c, 2)]),
  });
  const answer = await sendText(dan1, conv, "Refund on its way.", "dan-1", ORG_A, "dan");
  messages.push(answer);
  c = { ...c, last_message: answer };
  await step("dan answers", {
    cat: [news(answer), updated(c, 2)],
    ...each(["ann", ...dan], [news(answer), updated(c, 2)]),
  });

  // dan is removed: his consultation goes back to the queue, announced to
  // the customer and the remaining agents; his sockets hear nothing more.
  const removed = await rest("DELETE", `/api/v1/orgs/${ORG_A}/agents/dan`, who("ann").token);
  assert.equal(removed.status, 204, `remove dan: ${JSON.stringify(removed.body)}`);
  c = { ...c, status: "waiting", assignee: null };
  await step("dan is removed", {
    cat: [updated(c, 2)],
    ann: [updated(c, 2)],
  });
  await refusedOnSocket(dan1, "message:send", { conversation_id: conv, text: "still here", client_id: "dan-2" }, "not_found");
  await refusedOnSocket(dan1, "typing", { conversation_id: conv, typing: true }, "not_found");
  await refusedOnSocket(dan1, "read", { conversation_id: conv, seq: 4 }, "not_found");
  await step("dan's refused events", {});
  const after = await sendText(cat, conv, "Thank you!", "cat-2", ORG_A, "cat");
  messages.push(after);
  c = { ...c, last_message: after };
  await step("cat writes after dan left", {
    cat: [news(after), updated(c, 0)],
    ann: [news(after), updated(c, 3)],
  });
  const second = await openConsultation("cat", ORG_A, "Another thing", "Also, the box was open.");
  await step("cat opens another after dan left", {
    cat: [["conversation:created", createdFor(second, "cat")], updated(second, 0)],
    ann: [updated(second, 1)],
  });

  // dan makes an organization of his own: its room is his at once.
  const org = await call("POST", "/api/v1/orgs", "dan", { slug: ORG_B, name: "Dan's desk" }, 201);
  assert.equal(org.my_role, "owner");
  await step("dan creates an organization", {});
  const own = await openConsultation("cat", ORG_B, "Hi Dan", "A question for your desk.");
  await step("cat opens one with dan's organization", {
    cat: [["conversation:created", createdFor(own, "cat")], updated(own, 0)],
    ...each(dan, [updated(own, 1)]),
  });

  await finish(c, messages, "cat", "ann", 0, 3);
}

async function unread() {
  const ann = await open("ann", "ann", "websocket");
  const abe = await open("abe", "abe", "polling");
  const cat1 = await open("cat-ws", "cat", "websocket");
  await open("cat-polling", "cat", "polling", true);
  const customer = ["cat-ws", "cat-polling"];
  const agents = ["ann", "abe"];
  await step("after connecting", {});

  let c = await openConsultation("cat", ORG_A, "Late delivery", "My parcel is late.");
  const conv = c.conversation_id;
  const messages = [c.last_message];
  await step("cat opens: one unread for the agents", {
    ...each(customer, [["conversation:created", createdFor(c, "cat")], updated(c, 0)]),
    ...each(agents, [updated(c, 1)]),
  });

  // The customer's second message: two unread for the agents.
  const second = await sendText(cat1, conv, "Tracking says nothing.", "cat-1", ORG_A, "cat");
  assert.equal(second.seq, 2);
  messages.push(second);
  c = { ...c, last_message: second };
  await step("cat's second message", {
    ...each(customer, [news(second), updated(c, 0)]),
    ...each(agents, [news(second), updated(c, 2)]),
  });

  // An agent's answer: unread for the customer, not for the agents.
  const answer = await sendText(abe, conv, "Checking with the carrier.", "abe-1", ORG_A, "abe");
  assert.equal(answer.seq, 3);
  messages.push(answer);
  c = { ...c, last_message: answer };
  await step("abe answers", {
    ...each(customer, [news(answer), updated(c, 1)]),
    ...each(agents, [news(answer), updated(c, 2)]),
  });

  // The FAQ shortcut: the question is the customer's (read by them, unread
  // for the agents), the automatic answer unread for the customer.
  const exchange = await call("POST", at(ORG_A, c, "faq"), "cat", { faq_id: env("FAQ_ID") }, 201);
  const { question, answer: auto } = exchange;
  assertSupportMessage(question, ORG_A, "the FAQ question");
  assert.equal(question.kind, "text");
  assert.equal(question.sender.id, who("cat").id);
  assert.equal(question.seq, 4);
  assertSupportMessage(auto, ORG_A, "the FAQ answer");
  assert.equal(auto.kind, "auto");
  assert.equal(auto.sender, null);
  assert.equal(auto.seq, 5);
  messages.push(question, auto);
  c = { ...c, last_message: auto };
  await step("cat picks an FAQ entry", {
    ...each(customer, [news(question), news(auto), updated(c, 1)]),
    ...each(agents, [news(question), news(auto), updated(c, 3)]),
  });

  // One agent reads part of it: the shared marker moves for both agents.
  const read = (user, seq) => ["read", { conversation_id: conv, user_id: who(user).id, seq }];
  ok(await ask(ann, "read", { conversation_id: conv, seq: 2 }), "ann reads up to 2");
  await step("ann reads up to 2", {
    ...each(customer, [read("ann", 2), updated(c, 1)]),
    ...each(agents, [read("ann", 2), updated(c, 1)]),
  });
  // The other agent reads it all: nothing unread for any agent.
  ok(await ask(abe, "read", { conversation_id: conv, seq: 5 }), "abe reads up to 5");
  await step("abe reads everything", {
    ...each(customer, [read("abe", 5), updated(c, 1)]),
    ...each(agents, [read("abe", 5), updated(c, 0)]),
  });
  // Markers only move forward: an agent reading less, again, says nothing.
  ok(await ask(ann, "read", { conversation_id: conv, seq: 3 }), "ann reads up to 3");
  ok(await ask(abe, "read", { conversation_id: conv, seq: 5 }), "abe reads up to 5 again");
  await step("agents reading what they read", {});
  // The agents' reading is not the customer's: they read the answer themselves.
  ok(await ask(cat1, "read", { conversation_id: conv, seq: 5 }), "cat reads up to 5");
  await step("cat reads everything", {
    ...each(customer, [read("cat", 5), updated(c, 0)]),
    ...each(agents, [read("cat", 5), updated(c, 0)]),
  });

  await finish(c, messages, "cat", "abe", 0, 0);
}

scenario(`support_live (${env("PART")})`, async () => {
  const parts = { audiences, status, membership, unread };
  const part = parts[env("PART")];
  assert.ok(part, `PART must be one of ${Object.keys(parts).join(", ")}`);
  await part();
});
