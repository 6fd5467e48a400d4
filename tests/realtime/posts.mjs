// Scenario: post events and live notifications. A follower (two sockets)
// and the author receive `post:created`, `post:updated` and `post:deleted`;
// a stranger receives none of them; the author receives a live
// `notification` when the follower likes the post.
//
// Env: PARLEY_URL, AUTHOR_TOKEN, FOLLOWER_TOKEN, STRANGER_TOKEN.
// Protocol: prints READY once connected; the Rust side creates, edits and
// deletes a post (and the follower likes it in between), then says DONE with
// the post id: "DONE <id>".

import assert from "node:assert/strict";
import { collect, connected, env, nextLine, say, scenario, sleep, socket } from "./lib.mjs";

const EVENTS = ["post:created", "post:updated", "post:deleted", "notification"];

scenario("posts", async () => {
  const sockets = {
    author: await connected(socket("websocket", { auth: { token: env("AUTHOR_TOKEN") } }), "author"),
    follower1: await connected(socket("websocket", { auth: { token: env("FOLLOWER_TOKEN") } }), "follower ws"),
    follower2: await connected(socket("polling", { auth: { token: env("FOLLOWER_TOKEN") } }), "follower polling"),
    stranger: await connected(socket("websocket", { auth: { token: env("STRANGER_TOKEN") } }), "stranger"),
  };
  const got = {};
  for (const [name, s] of Object.entries(sockets)) {
    got[name] = Object.fromEntries(EVENTS.map((e) => [e, collect(s, e)]));
  }
  say("READY");
  const done = await nextLine(20_000, 'waiting for "DONE <post id>" on stdin');
  assert.match(done, /^DONE /);
  const postId = done.slice("DONE ".length);
  await sleep(700);

  for (const name of ["author", "follower1", "follower2"]) {
    const g = got[name];
    assert.equal(g["post:created"].length, 1, `${name} gets post:created once`);
    assert.equal(g["post:created"][0].post.id, postId);
    assert.equal(g["post:created"][0].post.text, "hello #live");
    assert.deepEqual(g["post:created"][0].post.hashtags, ["live"]);
    assert.equal(g["post:updated"].length, 1, `${name} gets post:updated once`);
    assert.equal(g["post:updated"][0].post.text, "edited #live");
    assert.equal(g["post:deleted"].length, 1, `${name} gets post:deleted once`);
    assert.equal(g["post:deleted"][0].id, postId);
  }
  for (const e of ["post:created", "post:updated", "post:deleted"]) {
    assert.deepEqual(got.stranger[e], [], `the stranger must not get ${e}`);
  }
  const likes = got.author.notification.filter((n) => n.notification.kind === "like");
  assert.equal(likes.length, 1, "the author gets the like notification live");
  assert.equal(likes[0].notification.post_id, postId);
  assert.equal(likes[0].notification.read, false);
  assert.deepEqual(got.stranger.notification, [], "nobody else gets it");
  assert.deepEqual(got.follower1.notification, []);
});
