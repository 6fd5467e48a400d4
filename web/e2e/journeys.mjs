// The end-to-end journeys, in order: two people (alice on a desktop-sized window, bob on a
// phone-sized one) sign up, follow each other, post with a described image, like, comment, get
// notified, chat live with typing, "seen" and a reaction, carol blocks bob (his group message
// hidden behind "Show") and unblocks him in settings, and alice's session survives a reload and
// ends with sign-out. Then the support desk: alice signs back in and opens an organization
// with an FAQ (one entry in Korean), bob finds it, searches the FAQ in Korean, opens a
// consultation and gets an automatic answer inside it, alice takes it from her live queue,
// they talk, and it is closed. Last, alice registers a site for the Open API on the developer
// page, rotates its secret and deletes it. Finally a newcomer signs up with GitHub (the fake
// provider of lib/fakeProvider.mjs) in one click, finds it linked in settings, sets a first
// password, signs out and back in with it, signs in on a phone too and signs that session
// out from the Sessions list in settings. Elements are found by role and accessible name,
// as real users (and screen readers) find them; see docs/web-client.md.

import { PHONE, capture, makeJpeg } from './lib/browser.mjs';
import { FAKE_EMAIL } from './lib/fakeProvider.mjs';
import { check, gone, until, visible } from './lib/wait.mjs';

const PASSWORD = 'Quiet-Lantern-4821';
const POST_TEXT = 'Sunset over the hills, shot for the end-to-end suite #e2eTest';
const IMAGE_DESCRIPTION = 'An orange sun setting behind dark green hills';
const COMMENT_TEXT = 'What a view! Where was this?';
const BOB_MESSAGE = 'Hi Alice, loved the sunset photo';
const ALICE_REPLY = 'Thanks Bob! It was near the lake';
const GROUP_TITLE = 'Lake hike crew';
const GROUP_MESSAGE = 'Hike to the lake on Saturday, anyone?';
const BOB_GROUP_MESSAGE = 'Count me in, I will bring snacks';
const ORG_SLUG = 'lantern-books';
const ORG_NAME = 'Lantern Books';
const FAQ_SHIPPING = ['How long does shipping take?', 'Orders ship within two working days.'];
const FAQ_REFUND = ['환불은 어떻게 하나요?', '구매 후 14일 이내에 주문 페이지에서 환불을 요청하세요.'];
const SUBJECT = 'Refund for order 1042';
const BOB_QUESTION = 'Hello, the book arrived damaged. Can I get my money back?';
const ALICE_SUPPORT_REPLY = 'Sorry about that, Bob! I have started your refund.';
const BOB_THANKS = 'Thank you, that was quick';
const SITE_HOST = 'localhost:3000';

/** A marker that only survives as long as the page is not reloaded. */
async function markPage(page) {
  await page.evaluate(() => {
    window.__parleyE2eNoReload = true;
  });
}

async function assertNotReloaded(page, what) {
  const still = await page.evaluate(() => window.__parleyE2eNoReload === true);
  check(still, `${what} needed a page reload (the update must arrive live)`);
}

function heading(page, name) {
  return page.getByRole('heading', { name, exact: true });
}

function nav(page, name) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
}

/**
 * `text` inside the comments list or the messages of a conversation. Scoped so that a
 * textarea still holding the same draft (React mirrors a controlled textarea's value into
 * its text) is never counted.
 */
function inComments(page, text) {
  return page.getByRole('list', { name: 'Comments' }).getByText(text, { exact: true });
}

function inMessages(page, text) {
  return page.getByRole('region', { name: 'Messages' }).getByText(text, { exact: true });
}

/** The link `name` visible in either navigation (the sidebar on wide screens, the top bar on phones). */
function visibleLink(page, name) {
  return page.getByRole('link', { name, exact: true }).filter({ visible: true }).first();
}

/** The Sessions list in settings. */
function sessionList(page) {
  return page.getByRole('list', { name: 'Sessions', exact: true });
}

/** The row of this browser's own session in the Sessions list ("<device>, this device"). */
function thisSession(page) {
  return sessionList(page).getByRole('listitem', { name: /, this device$/ });
}

/** The row of the conversation called `title` in the chat list. */
function conversationRow(page, title) {
  return page.getByRole('list', { name: 'Conversations' }).getByRole('link').filter({ hasText: title });
}

/** The post with `text` in a list of posts. */
function postCard(page, text) {
  return page.getByRole('article').filter({ hasText: text });
}

async function signUp(user, { viaSignIn }) {
  const { page } = user;
  if (viaSignIn) {
    await page.getByRole('link', { name: 'Create an account' }).click();
  } else {
    await page.goto('/signup');
  }
  await visible(heading(page, 'Create your account'), `${user.name}: the sign-up form`);
  await page.getByLabel('Username', { exact: true }).fill(user.name);
  await page.getByLabel('Email', { exact: true }).fill(`${user.name}@example.com`);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await visible(heading(page, 'Home'), `${user.name}: the home timeline after signing up`);
}

async function follow(user, other) {
  const { page } = user;
  await page.goto(`/u/${other}`);
  await visible(page.getByRole('heading', { name: other, level: 1 }), `${user.name}: ${other}'s profile`);
  await page.getByRole('button', { name: 'Follow', exact: true }).click();
  await visible(
    page.getByRole('button', { name: 'Unfollow', exact: true }),
    `${user.name}: the Unfollow button after following ${other}`,
  );
  await visible(
    page.getByRole('link', { name: /1\s+Followers/ }),
    `${user.name}: ${other}'s follower count going to 1`,
  );
}

/** The row of the consultation about `subject` in a list of consultations. */
function consultationRow(page, subject) {
  return page.getByRole('list', { name: 'Consultations' }).getByRole('link').filter({ hasText: subject });
}

/** A system note of a support conversation ("Assigned to alice"). */
function inNotes(page, text) {
  return page.getByRole('region', { name: 'Messages' }).locator('.chat-system-note').filter({ hasText: text });
}

async function addFaq(page, [question, answer]) {
  const form = page.getByRole('form', { name: 'Add a question' });
  await form.getByLabel('Question', { exact: true }).fill(question);
  await form.getByLabel('Answer', { exact: true }).fill(answer);
  await form.getByRole('button', { name: 'Add question', exact: true }).click();
  await visible(
    page.getByRole('list', { name: 'FAQ entries' }).getByText(question, { exact: true }),
    `alice: the FAQ entry "${question}" in the editor`,
  );
}

/** Every step: `[name, async (run) => {...}]`; `run` holds the users and shared state. */
export const journeys = [
  [
    'a signed-out visitor is sent to the sign-in page',
    async ({ alice, shots }) => {
      await alice.page.goto('/');
      await visible(heading(alice.page, 'Sign in'), 'alice: the sign-in page');
      check(new URL(alice.page.url()).pathname === '/signin', `expected /signin, at ${alice.page.url()}`);
      await shots(alice.page, 'sign-in', () => visible(heading(alice.page, 'Sign in'), 'the sign-in page'));
    },
  ],
  [
    'alice and bob sign up',
    async ({ alice, bob }) => {
      await signUp(alice, { viaSignIn: true });
      await signUp(bob, { viaSignIn: false });
    },
  ],
  [
    'each follows the other from the profile page',
    async ({ alice, bob }) => {
      await follow(alice, 'bob');
      await follow(bob, 'alice');
      // Bob now follows alice back, which her copy of his profile shows after a visit.
      await alice.page.goto('/u/bob');
      await visible(alice.page.getByText('Follows you', { exact: true }), 'alice: "Follows you" on bob\'s profile');
    },
  ],
  [
    'alice posts text with a #hashtag and a described image; the thumbnail replaces the original without a reload',
    async (run) => {
      const { alice, bob } = run;
      // Both on their home timelines (in-app navigation, so the sockets stay up).
      await nav(alice.page, 'Home').click();
      await visible(heading(alice.page, 'Home'), 'alice: home');
      await nav(bob.page, 'Home').click();
      await visible(heading(bob.page, 'Home'), 'bob: home');
      await markPage(alice.page);
      await markPage(bob.page);

      const jpeg = await makeJpeg(alice.page);
      const composer = alice.page.getByRole('form', { name: 'New post' });
      await composer.getByLabel("What's happening?").fill(POST_TEXT);
      await composer.getByLabel('Add images').first().setInputFiles({
        name: 'sunset.jpg',
        mimeType: 'image/jpeg',
        buffer: jpeg,
      });
      const postButton = composer.getByRole('button', { name: 'Post', exact: true });
      await until('the Post button to be enabled once the image is uploaded', () => postButton.isEnabled(), {
        timeout: 30_000,
      });
      // Describe the image before posting (PATCH /media/:id); the tile then shows "ALT".
      await composer.getByRole('button', { name: 'Add description to Image 1' }).click();
      await composer.getByLabel('Description of Image 1').fill(IMAGE_DESCRIPTION);
      await composer.getByRole('button', { name: 'Save description' }).click();
      await visible(composer.getByText('ALT', { exact: true }), 'alice: the ALT badge on the described image');
      await postButton.click();

      const card = postCard(alice.page, POST_TEXT);
      await visible(card, 'alice: her new post at the top of her timeline');
      await visible(card.getByRole('link', { name: '#e2eTest' }), 'alice: the #e2eTest hashtag as a link');
      const image = card.getByRole('img', { name: IMAGE_DESCRIPTION });
      await visible(image, "alice: her post's image, named by its description");
      const alt = await image.getAttribute('alt');
      check(alt === IMAGE_DESCRIPTION, `the posted image's alt should be its description, got ${JSON.stringify(alt)}`);
      run.firstImageSrc = await image.getAttribute('src');
      await until("the post's image to display", () =>
        image.evaluate((img) => img.complete && img.naturalWidth > 0),
      );
      const thumb = await until(
        'the thumbnail (/media/...-thumb.*) to replace the original',
        async () => {
          const src = await image.getAttribute('src');
          if (!src || !/^\/media\/[^/]+-thumb\.[a-z]+$/.test(new URL(src, alice.page.url()).pathname)) return false;
          // The card may show the original from srcSet on a wide screen; the thumbnail
          // itself must load and fit in 200×200.
          const fits = await image.evaluate(async (img, url) => {
            if (!(img.complete && img.naturalWidth > 0)) return false;
            const thumbnail = new Image();
            thumbnail.src = url;
            await thumbnail.decode();
            return thumbnail.naturalWidth <= 200 && thumbnail.naturalHeight <= 200;
          }, src);
          return fits && src;
        },
        { timeout: 60_000 },
      );
      run.thumbnail = thumb;
      await assertNotReloaded(alice.page, 'the thumbnail');
      const href = await card.getByRole('link', { name: /comments?$/ }).getAttribute('href');
      run.postPath = href;
      check(/^\/posts\/[^/]+$/.test(href ?? ''), `the post's comments link should be /posts/:id, got ${href}`);
    },
  ],
  [
    "bob sees alice's post arrive live, likes it and comments",
    async (run) => {
      const { bob } = run;
      const card = postCard(bob.page, POST_TEXT);
      await visible(card, "bob: alice's post on his home timeline, live");
      await assertNotReloaded(bob.page, "alice's post on bob's timeline");
      await card.getByRole('button', { name: 'Like', exact: true }).click();
      await visible(card.getByRole('button', { name: 'Unlike', exact: true }), 'bob: the Unlike button after liking');
      await visible(card.getByText('1 like', { exact: false }), 'bob: the like count at 1');
      await card.getByRole('link', { name: '0 comments' }).click();
      await until(`bob to be on ${run.postPath}`, () => new URL(bob.page.url()).pathname === run.postPath);
      await bob.page.getByLabel('Add a comment', { exact: true }).fill(COMMENT_TEXT);
      await bob.page.getByRole('button', { name: 'Comment', exact: true }).click();
      await visible(inComments(bob.page, COMMENT_TEXT), 'bob: his comment under the post');
    },
  ],
  [
    'alice sees the notification badge, the notifications, and the comment on her post',
    async ({ alice, shots }) => {
      // bob followed, liked and commented: three unread notifications, counted live.
      const badge = alice.page.locator('[aria-label$="unread notifications"]:visible');
      await until('alice: the notification badge to show 3 unread', async () =>
        (await badge.getAttribute('aria-label', { timeout: 1000 })) === '3 unread notifications',
      );
      await assertNotReloaded(alice.page, 'the notification badge');
      await nav(alice.page, /^Notifications/).click();
      for (const sentence of ['bob followed you', 'bob liked your post', 'bob commented on your post']) {
        await visible(alice.page.getByRole('link', { name: sentence }), `alice: the notification "${sentence}"`);
      }
      await shots(alice.page, 'notifications', () =>
        visible(alice.page.getByRole('link', { name: 'bob commented on your post' }), 'the notifications'),
      );
      await alice.page.getByRole('link', { name: 'bob commented on your post' }).click();
      await visible(inComments(alice.page, COMMENT_TEXT), "alice: bob's comment on her post page");
      await visible(postCard(alice.page, POST_TEXT), 'alice: her post on the post page');
      await shots(alice.page, 'post', () => visible(inComments(alice.page, COMMENT_TEXT), 'the comment'));
    },
  ],
  [
    "bob starts a direct chat from alice's profile; they chat live with typing and \"Seen\"",
    async ({ alice, bob, shots }) => {
      // Alice waits on her chat list; bob opens the chat from her profile.
      await nav(alice.page, /^Chat/).click();
      await visible(alice.page.getByRole('heading', { name: 'Chats' }), 'alice: the chat list');
      await markPage(alice.page);

      await bob.page.goto('/u/alice');
      await bob.page.getByRole('button', { name: 'Message', exact: true }).click();
      await until('bob to be in the conversation (/chat/:id)', () => /^\/chat\/[^/]+$/.test(new URL(bob.page.url()).pathname));
      await visible(bob.page.getByRole('heading', { name: 'alice', exact: true }), 'bob: the conversation with alice');
      await markPage(bob.page);
      const bobBox = bob.page.getByRole('textbox', { name: 'Message', exact: true });
      await bobBox.fill(BOB_MESSAGE);
      await bob.page.getByRole('button', { name: 'Send', exact: true }).click();
      await visible(inMessages(bob.page, BOB_MESSAGE), 'bob: his message in the conversation');
      await gone(bob.page.getByRole('region', { name: 'Messages' }).getByText('Sending…'), "bob: the message's Sending… state");

      // Live on alice's side: the conversation appears in her list, and she opens it.
      const row = alice.page.getByRole('list', { name: 'Conversations' }).getByRole('link').filter({ hasText: 'bob' });
      await visible(row, 'alice: the conversation with bob in her chat list, live');
      await visible(row.getByText(BOB_MESSAGE, { exact: false }), "alice: bob's message as the conversation's preview");
      await assertNotReloaded(alice.page, "bob's message");
      await row.click();
      await visible(inMessages(alice.page, BOB_MESSAGE), "alice: bob's message in the conversation");

      // Alice types: bob sees it; then she sends her reply.
      const aliceBox = alice.page.getByRole('textbox', { name: 'Message', exact: true });
      await aliceBox.fill(ALICE_REPLY);
      await visible(bob.page.getByText('alice is typing…', { exact: true }), 'bob: "alice is typing…"');
      await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
      await visible(inMessages(bob.page, ALICE_REPLY), "bob: alice's reply, live");
      await gone(bob.page.getByText('alice is typing…', { exact: true }), 'bob: the typing indicator once she sent');
      await assertNotReloaded(bob.page, "alice's reply");

      // Bob has the conversation open at the bottom: he has read it, and alice sees so.
      await visible(
        alice.page.getByRole('region', { name: 'Messages' }).getByText('Seen', { exact: true }),
        'alice: "Seen" under her reply',
      );

      // Alice reacts to bob's message with 👍 from the picker: the chip shows for both, live.
      const bobsMessage = alice.page.getByRole('region', { name: 'Messages' }).getByRole('listitem').filter({ hasText: BOB_MESSAGE });
      await bobsMessage.hover();
      await bobsMessage.getByRole('button', { name: 'Add reaction', exact: true }).click();
      const picker = alice.page.getByRole('group', { name: 'Pick a reaction', exact: true });
      await visible(picker, 'alice: the reaction picker');
      await picker.getByRole('button', { name: 'React with 👍', exact: true }).click();
      const chip = (page) => page.getByRole('region', { name: 'Messages' }).getByRole('button', { name: '👍 1', exact: true });
      await visible(chip(alice.page), "alice: the \"👍 1\" chip under bob's message");
      check((await chip(alice.page).getAttribute('aria-pressed')) === 'true', 'alice: her 👍 chip is not marked as hers');
      await visible(chip(bob.page), 'bob: the "👍 1" chip under his message, live');
      check((await chip(bob.page).getAttribute('aria-pressed')) === 'false', "bob: alice's 👍 chip is marked as his");
      await assertNotReloaded(bob.page, "alice's reaction");
      await shots(alice.page, 'chat', () => visible(inMessages(alice.page, ALICE_REPLY), 'the reply'));
    },
  ],
  [
    'carol signs up; alice starts a group chat with bob and carol, and they see her message live',
    async (run) => {
      const { alice, bob, shots } = run;
      const carol = await run.addUser('carol');
      run.carol = carol;
      await signUp(carol, { viaSignIn: false });

      await nav(alice.page, /^Chat/).click();
      await visible(alice.page.getByRole('heading', { name: 'Chats' }), 'alice: the chat list');
      await alice.page.getByRole('button', { name: 'New chat', exact: true }).click();
      const dialog = alice.page.getByRole('dialog', { name: 'New chat' });
      await visible(dialog, 'alice: the New chat dialog');
      const people = dialog.getByLabel('Add people', { exact: true });
      for (const [typed, name] of [['bo', 'bob'], ['car', 'carol']]) {
        await people.fill(typed);
        await dialog.getByRole('button', { name: `Add ${name}`, exact: true }).click();
        await visible(
          dialog.getByRole('list', { name: 'People in the new chat' }).getByText(`@${name}`, { exact: true }),
          `alice: @${name} added to the new chat`,
        );
      }
      await dialog.getByLabel('Group title (optional)', { exact: true }).fill(GROUP_TITLE);
      await dialog.getByRole('button', { name: 'Start chat', exact: true }).click();
      await gone(dialog, 'alice: the New chat dialog once the chat started');
      await until('alice to be in the group (/chat/:id)', () => /^\/chat\/[^/]+$/.test(new URL(alice.page.url()).pathname));
      await visible(alice.page.getByRole('heading', { name: GROUP_TITLE, exact: true }), 'alice: the new group');
      await visible(
        alice.page.getByText('Members: You, bob, carol', { exact: true }),
        "alice: the group's members",
      );

      // Bob and carol wait on their chat lists; the group reaches them with its first message
      // (message:new for a conversation they do not hold yet makes the list refetch).
      for (const user of [bob, carol]) {
        await nav(user.page, /^Chat/).click();
        await visible(user.page.getByRole('heading', { name: 'Chats' }), `${user.name}: the chat list`);
        await markPage(user.page);
      }

      await alice.page.getByRole('textbox', { name: 'Message', exact: true }).fill(GROUP_MESSAGE);
      await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
      await visible(inMessages(alice.page, GROUP_MESSAGE), 'alice: her message in the group');
      for (const user of [bob, carol]) {
        const row = conversationRow(user.page, GROUP_TITLE);
        await visible(row, `${user.name}: the group arriving live in his or her chat list`);
        await row.click();
        await visible(user.page.getByRole('heading', { name: GROUP_TITLE, exact: true }), `${user.name}: the group`);
        await visible(inMessages(user.page, GROUP_MESSAGE), `${user.name}: alice's message in the group`);
        await assertNotReloaded(user.page, `alice's message in the group (${user.name})`);
      }
      await shots(alice.page, 'group-chat', () => visible(inMessages(alice.page, GROUP_MESSAGE), 'the group message'));
      await shots(bob.page, 'group-chat-bob', () => visible(inMessages(bob.page, GROUP_MESSAGE), 'the group message'));
    },
  ],
  [
    "carol blocks bob from his profile, sees his group message hidden behind \"Show\", and unblocks him in settings",
    async ({ bob, carol }) => {
      const { page } = carol;
      await page.goto('/u/bob');
      await visible(page.getByRole('heading', { name: 'bob', level: 1 }), "carol: bob's profile");
      await page.getByRole('button', { name: 'Block', exact: true }).click();
      const confirm = page.getByRole('group', { name: 'Confirm blocking @bob' });
      await visible(confirm, 'carol: the confirmation before blocking bob');
      await confirm.getByRole('button', { name: 'Block', exact: true }).click();
      await visible(page.getByRole('button', { name: 'Unblock', exact: true }), 'carol: Unblock after blocking bob');
      await visible(page.getByText(/You blocked this user/), 'carol: the "You blocked this user" note');
      check((await page.getByRole('button', { name: 'Follow', exact: true }).count()) === 0, 'no Follow on a blocked profile');
      check((await page.getByRole('button', { name: 'Message', exact: true }).count()) === 0, 'no Message on a blocked profile');

      // Bob writes in the group they share; carol sees only that a blocked member wrote.
      await nav(page, /^Chat/).click();
      await conversationRow(page, GROUP_TITLE).click();
      await visible(page.getByRole('heading', { name: GROUP_TITLE, exact: true }), 'carol: the group');
      await visible(inMessages(page, GROUP_MESSAGE), "carol: alice's message in the group");
      await bob.page.getByRole('textbox', { name: 'Message', exact: true }).fill(BOB_GROUP_MESSAGE);
      await bob.page.getByRole('button', { name: 'Send', exact: true }).click();
      await visible(inMessages(bob.page, BOB_GROUP_MESSAGE), 'bob: his message in the group');
      const messages = page.getByRole('region', { name: 'Messages' });
      await visible(messages.getByText('Message from a user you blocked', { exact: true }), "carol: bob's message hidden");
      check((await inMessages(page, BOB_GROUP_MESSAGE).count()) === 0, "bob's message text is hidden from carol");
      await messages.getByRole('button', { name: 'Show', exact: true }).click();
      await visible(inMessages(page, BOB_GROUP_MESSAGE), "carol: bob's message after Show");

      await page.getByRole('link', { name: 'Settings' }).filter({ visible: true }).first().click();
      await visible(heading(page, 'Settings'), 'carol: the settings page');
      const blocked = page.getByRole('list', { name: 'People you block', exact: true });
      await visible(blocked.getByText('@bob', { exact: true }), 'carol: bob in her blocked list');
      await blocked.getByRole('button', { name: 'Unblock @bob', exact: true }).click();
      await visible(page.getByText('You do not block anyone', { exact: true }), 'carol: nobody blocked after unblocking bob');
    },
  ],
  [
    'the other main screens render (home, profile, settings)',
    async ({ alice, shots }) => {
      await nav(alice.page, 'Home').click();
      await visible(postCard(alice.page, POST_TEXT), 'alice: her post on her home timeline');
      await shots(alice.page, 'home', () => visible(postCard(alice.page, POST_TEXT), 'the timeline'));
      await nav(alice.page, 'Profile').click();
      await visible(alice.page.getByRole('heading', { name: 'alice', level: 1 }), 'alice: her profile');
      await shots(alice.page, 'profile', () =>
        visible(alice.page.getByRole('heading', { name: 'alice', level: 1 }), 'the profile'),
      );
      await alice.page.getByRole('link', { name: 'Settings' }).filter({ visible: true }).first().click();
      await until('alice to be on /settings', () => new URL(alice.page.url()).pathname === '/settings');
      await visible(heading(alice.page, 'Settings'), 'alice: the settings page');
      const here = thisSession(alice.page);
      await visible(here.getByText('This device', { exact: true }), 'alice: her session marked "This device"');
      await visible(here.getByText(/Signed in with Password$/), 'alice: her session signed in with the password');
      check((await here.getByRole('button').count()) === 0, 'no "Sign out" on the session of this device');
      await shots(alice.page, 'settings', () => visible(heading(alice.page, 'Settings'), 'the settings page'));
    },
  ],
  [
    'alice searches: #e2e finds the hashtag and its feed, "bo" finds bob',
    async ({ alice, shots }) => {
      await nav(alice.page, 'Search').click();
      await visible(heading(alice.page, 'Search'), 'alice: the search page');
      const box = alice.page.getByRole('searchbox', { name: 'Search' });
      await box.fill('#e2e');
      const tag = alice.page.getByRole('list', { name: 'Hashtags found' }).getByRole('link', { name: /^#e2etest\b/ });
      await visible(tag, 'alice: #e2etest among the hashtags found');
      await visible(tag.getByText('1 post', { exact: true }), "alice: #e2etest's post count at 1");
      await shots(alice.page, 'search-tags', () => visible(tag, 'the hashtag found'));
      await tag.click();
      await until('alice to be on /tags/e2etest', () => new URL(alice.page.url()).pathname === '/tags/e2etest');
      await visible(heading(alice.page, '#e2etest'), "alice: the hashtag's page");
      await visible(postCard(alice.page, POST_TEXT), 'alice: her post on the #e2etest page');

      await nav(alice.page, 'Search').click();
      await visible(heading(alice.page, 'Search'), 'alice: the search page again');
      await box.fill('bo');
      const people = alice.page.getByRole('region', { name: 'People' });
      const bob = people.getByRole('list', { name: 'People found' }).getByRole('link', { name: /@bob$/ });
      await visible(bob, 'alice: bob among the people found');
      await shots(alice.page, 'search-people', () => visible(bob, 'bob in the people found'));
      await bob.click();
      await until('alice to be on /u/bob', () => new URL(alice.page.url()).pathname === '/u/bob');
      await visible(alice.page.getByRole('heading', { name: 'bob', level: 1 }), "alice: bob's profile from the search");
    },
  ],
  [
    'alice searches posts for "sunset hil" and sees her post with the words marked',
    async ({ alice }) => {
      await nav(alice.page, 'Search').click();
      await visible(heading(alice.page, 'Search'), 'alice: the search page');
      await alice.page.getByRole('tab', { name: 'Posts' }).click();
      await alice.page.getByRole('searchbox', { name: 'Search' }).fill('sunset hil');
      const found = alice.page.getByRole('list', { name: 'Posts found' });
      await visible(found.locator('mark', { hasText: 'Sunset' }), 'alice: "Sunset" marked in her post found by search');
      await visible(found.locator('mark', { hasText: 'hil' }), 'alice: the prefix "hil" of "hills" marked');
    },
  ],
  [
    "a signed-out visitor sees alice's post on Explore, with Sign in and Sign up offered",
    async (run) => {
      const visitor = await run.addUser('visitor');
      const { page } = visitor;
      await page.goto('/explore');
      await visible(heading(page, 'Explore'), 'visitor: the explore page');
      const feed = page.getByRole('region', { name: 'Public feed' });
      await visible(postCard(feed, POST_TEXT), "visitor: alice's post in the public feed");
      await visible(visibleLink(page, 'Sign in'), 'visitor: Sign in in the navigation');
      await visible(visibleLink(page, 'Sign up'), 'visitor: Sign up in the navigation');
      check(new URL(page.url()).pathname === '/explore', `the visitor should stay on /explore, at ${page.url()}`);
      await visitor.context.close();
    },
  ],
  [
    'a signed-out visitor asks for a password reset from the sign-in page',
    async (run) => {
      const visitor = await run.addUser('forgetful');
      const { page } = visitor;
      await page.goto('/signin');
      await visible(heading(page, 'Sign in'), 'visitor: the sign-in page');
      await page.getByRole('link', { name: 'Forgot your password?', exact: true }).click();
      await visible(heading(page, 'Reset your password'), 'visitor: the forgot-password form');
      check(new URL(page.url()).pathname === '/forgot-password', `expected /forgot-password, at ${page.url()}`);
      await page.getByLabel('Username or email', { exact: true }).fill('bob');
      await page.getByRole('button', { name: 'Send reset link', exact: true }).click();
      await visible(
        page.getByText("If an account matches, we've sent a link to its e-mail address. Check your inbox (and spam).", {
          exact: true,
        }),
        'visitor: the reset-link confirmation',
      );
      await visitor.context.close();
    },
  ],
  [
    'a reload keeps alice signed in',
    async ({ alice, base }) => {
      await alice.page.goto('/');
      await visible(postCard(alice.page, POST_TEXT), 'alice: her timeline before the reload');
      await alice.page.reload();
      await visible(heading(alice.page, 'Home'), 'alice: still on her home timeline after a reload');
      await visible(postCard(alice.page, POST_TEXT), 'alice: her timeline after the reload');
      const session = await alice.context.request.get(`${base}/api/v1/auth/session`);
      check(session.status() === 200, `GET /api/v1/auth/session after the reload: ${session.status()}`);
      const body = await session.json();
      check(body?.user?.username === 'alice', `the session is alice's: ${JSON.stringify(body?.user)}`);
    },
  ],
  [
    'sign-out ends the session',
    async ({ alice, base }) => {
      await alice.page.getByRole('button', { name: 'Sign out' }).filter({ visible: true }).first().click();
      await visible(heading(alice.page, 'Sign in'), 'alice: the sign-in page after signing out');
      await alice.page.reload();
      await visible(heading(alice.page, 'Sign in'), 'alice: the sign-in page after a reload');
      const session = await alice.context.request.get(`${base}/api/v1/auth/session`);
      check(session.status() === 401, `GET /api/v1/auth/session after sign-out should be 401, got ${session.status()}`);
    },
  ],
  [
    'alice signs in again and creates an organization with two FAQ entries, one in Korean',
    async ({ alice, shots }) => {
      const { page } = alice;
      await page.getByLabel('Username or email', { exact: true }).fill('alice');
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await visible(heading(page, 'Home'), 'alice: home after signing in again');

      await nav(page, 'Support').click();
      await visible(heading(page, 'Support'), 'alice: the support directory');
      await page.getByRole('button', { name: 'Create organization', exact: true }).click();
      const form = page.getByRole('form', { name: 'Create organization' });
      await form.getByLabel('Slug', { exact: true }).fill(ORG_SLUG);
      await form.getByLabel('Name', { exact: true }).fill(ORG_NAME);
      await form.getByLabel('Description', { exact: true }).fill('Second-hand books, shipped with care.');
      await form.getByRole('button', { name: 'Create organization', exact: true }).click();
      await until(`alice to be on /orgs/${ORG_SLUG}`, () => new URL(page.url()).pathname === `/orgs/${ORG_SLUG}`);
      await visible(page.getByRole('heading', { name: ORG_NAME, level: 1 }), "alice: the new organization's page");
      await visible(page.getByText('Owner', { exact: true }), 'alice: her role, owner');

      await page.getByRole('link', { name: 'Organization settings', exact: true }).click();
      await visible(heading(page, 'Organization settings'), 'alice: the organization settings');
      await page.getByLabel('Avatar image', { exact: true }).setInputFiles({
        name: 'lantern.jpg',
        mimeType: 'image/jpeg',
        buffer: await makeJpeg(page, { width: 400, height: 300 }),
      });
      await page.getByRole('button', { name: 'Upload avatar', exact: true }).click();
      await visible(page.getByText('Avatar updated.', { exact: true }), "alice: the organization's avatar uploaded");
      await visible(page.getByRole('img', { name: `${ORG_NAME}'s avatar` }).first(), 'alice: the new avatar shown');
      await addFaq(page, FAQ_SHIPPING);
      await addFaq(page, FAQ_REFUND);
      await shots(page, 'org-settings', () => visible(heading(page, 'FAQ'), 'the FAQ editor'));

      // She waits in the support inbox; the consultation must arrive there live.
      await page.getByRole('link', { name: 'Support inbox', exact: true }).click();
      await visible(page.getByRole('heading', { name: 'Support inbox', exact: true }), 'alice: the support inbox');
      await visible(page.getByRole('tab', { name: 'Waiting', selected: true }), 'alice: the Waiting tab');
      await visible(page.getByText('Nobody is waiting', { exact: true }), 'alice: an empty waiting queue');
      await markPage(page);
    },
  ],
  [
    'bob finds the organization in the directory and searches its FAQ in Korean',
    async ({ bob, shots }) => {
      const { page } = bob;
      await nav(page, 'Support').click();
      await visible(heading(page, 'Support'), 'bob: the support directory');
      await page.getByRole('searchbox', { name: 'Search organizations' }).fill('lantern');
      const row = page.getByRole('list', { name: 'Organizations' }).getByRole('link', { name: new RegExp(ORG_NAME) });
      await visible(row, `bob: ${ORG_NAME} found in the directory`);
      await shots(page, 'org-directory', () => visible(row, 'the organization found'));
      await row.click();
      await visible(page.getByRole('heading', { name: ORG_NAME, level: 1 }), "bob: the organization's page");

      const questions = page.getByRole('list', { name: 'Questions' });
      await visible(questions.getByText(FAQ_SHIPPING[0], { exact: true }), 'bob: the FAQ before searching');
      await page.getByRole('searchbox', { name: 'Search the FAQ' }).fill('환불');
      await gone(questions.getByText(FAQ_SHIPPING[0], { exact: true }), 'bob: the shipping question once searching 환불');
      const refund = questions.getByText(FAQ_REFUND[0], { exact: true });
      await visible(refund, 'bob: the Korean question found by a Korean search');
      await refund.click();
      await visible(questions.getByText(FAQ_REFUND[1], { exact: true }), 'bob: its answer, opened');
      await shots(page, 'org-page', () => visible(refund, 'the FAQ search result'));
    },
  ],
  [
    'bob opens a consultation, picks an FAQ entry inside it and gets the automatic answer',
    async ({ bob, shots }) => {
      const { page } = bob;
      await page.getByRole('button', { name: 'Contact us', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: `Contact ${ORG_NAME}` });
      await visible(dialog, 'bob: the Contact us dialog');
      await dialog.getByLabel('Subject', { exact: true }).fill(SUBJECT);
      await dialog.getByLabel('Your message', { exact: true }).fill(BOB_QUESTION);
      await dialog.getByRole('button', { name: 'Start consultation', exact: true }).click();
      await until('bob to be in the consultation (/consultations/:slug/:id)', () =>
        new RegExp(`^/consultations/${ORG_SLUG}/[^/]+$`).test(new URL(page.url()).pathname),
      );
      await visible(page.getByRole('heading', { name: SUBJECT, exact: true }), 'bob: the consultation');
      await visible(inMessages(page, BOB_QUESTION), 'bob: his first message');
      await visible(page.getByText('Waiting', { exact: true }), 'bob: the consultation waiting');
      await markPage(page);

      await page.getByRole('button', { name: 'FAQ', exact: true }).click();
      const panel = page.getByRole('region', { name: 'Frequently asked questions' });
      await panel.getByRole('searchbox', { name: 'Search the FAQ' }).fill('환불');
      await panel.getByRole('button', { name: FAQ_REFUND[0], exact: true }).click();
      await gone(panel, 'bob: the FAQ panel once a question is picked');
      await visible(inMessages(page, FAQ_REFUND[0]), 'bob: the question he picked, in the conversation');
      await visible(inMessages(page, FAQ_REFUND[1]), 'bob: the automatic answer');
      await visible(
        page.getByRole('region', { name: 'Messages' }).getByText(`Answer from ${ORG_NAME}`, { exact: true }),
        'bob: the answer labelled as from the organization',
      );
      await shots(page, 'consultation-faq', () => visible(inMessages(page, FAQ_REFUND[1]), 'the automatic answer'));
    },
  ],
  [
    'alice takes the consultation from the live queue; they exchange messages in real time',
    async ({ alice, bob, shots }) => {
      const row = consultationRow(alice.page, SUBJECT);
      await visible(row, 'alice: the consultation arriving in the waiting queue, live');
      await assertNotReloaded(alice.page, 'the new consultation in the queue');
      await row.click();
      await visible(alice.page.getByRole('heading', { name: SUBJECT, exact: true }), 'alice: the consultation');
      for (const text of [BOB_QUESTION, FAQ_REFUND[0], FAQ_REFUND[1]]) {
        await visible(inMessages(alice.page, text), `alice: "${text}" in the consultation`);
      }
      await alice.page.getByRole('button', { name: 'Assign to me', exact: true }).click();
      await visible(inNotes(alice.page, 'Assigned to alice'), 'alice: the assignment note');
      await gone(row, 'alice: the consultation leaving the waiting queue once assigned');
      await alice.page.getByRole('tab', { name: 'Active' }).click();
      await visible(consultationRow(alice.page, SUBJECT), 'alice: the consultation in the active queue');

      await visible(inNotes(bob.page, 'Assigned to alice'), 'bob: the assignment note, live');
      await visible(bob.page.getByText('· Assigned to alice', { exact: true }), 'bob: who has his case, in the header');
      await visible(bob.page.getByText('Active', { exact: true }), 'bob: the consultation active');

      await alice.page.getByRole('textbox', { name: 'Message', exact: true }).fill(ALICE_SUPPORT_REPLY);
      await visible(bob.page.getByText('alice is typing…', { exact: true }), 'bob: "alice is typing…"');
      await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
      await visible(inMessages(alice.page, ALICE_SUPPORT_REPLY), 'alice: her reply');
      await visible(inMessages(bob.page, ALICE_SUPPORT_REPLY), "bob: alice's reply, live");

      await bob.page.getByRole('textbox', { name: 'Message', exact: true }).fill(BOB_THANKS);
      await bob.page.getByRole('button', { name: 'Send', exact: true }).click();
      await visible(inMessages(bob.page, BOB_THANKS), 'bob: his thanks');
      await visible(inMessages(alice.page, BOB_THANKS), "alice: bob's thanks, live");
      await assertNotReloaded(alice.page, 'the support conversation');
      await assertNotReloaded(bob.page, 'the support conversation');
      await shots(alice.page, 'support-inbox', () => visible(inMessages(alice.page, BOB_THANKS), 'the conversation'));
    },
  ],
  [
    'alice closes the consultation: both see it closed, and bob can only reopen it',
    async ({ alice, bob, shots }) => {
      await alice.page.getByRole('button', { name: 'Close', exact: true }).click();
      await visible(inNotes(alice.page, 'Closed by alice'), 'alice: the closing note');
      await visible(alice.page.getByText('This consultation is closed.', { exact: true }), 'alice: the closed notice');
      await visible(inNotes(bob.page, 'Closed by alice'), 'bob: the closing note, live');
      await visible(
        bob.page.getByText('This consultation is closed. Reopen it to write again.', { exact: true }),
        'bob: the closed notice',
      );
      const box = bob.page.getByRole('textbox', { name: 'Message', exact: true });
      await until('bob: the composer to be disabled', async () => !(await box.isEnabled()));
      await visible(bob.page.getByRole('button', { name: 'Reopen', exact: true }), 'bob: the Reopen button');
      await assertNotReloaded(bob.page, 'the closing');
      await shots(bob.page, 'consultation-closed', () =>
        visible(bob.page.getByRole('button', { name: 'Reopen', exact: true }), 'the closed consultation'),
      );

      // His list of consultations shows it closed.
      await bob.page.getByRole('link', { name: 'Back to consultations' }).click();
      const row = consultationRow(bob.page, SUBJECT);
      await visible(row, 'bob: the consultation in his list');
      await visible(row.getByText('Closed', { exact: true }), 'bob: its status, closed');
    },
  ],
  [
    'alice registers a site on the developer page, sees its secret once, rotates it and deletes it',
    async ({ alice, shots }) => {
      const { page } = alice;
      await visibleLink(page, 'Settings').click();
      await visible(heading(page, 'Settings'), 'alice: the settings page');
      await page.getByRole('link', { name: 'Developer page', exact: true }).click();
      await until('alice to be on /developer', () => new URL(page.url()).pathname === '/developer');
      await visible(heading(page, 'Developer'), 'alice: the developer page');
      await visible(page.getByText('No sites yet', { exact: true }), 'alice: no registered sites yet');

      const form = page.getByRole('form', { name: 'Register a site' });
      await form.getByLabel('Host', { exact: true }).fill(SITE_HOST);
      await form.getByLabel('Tier', { exact: true }).selectOption('free');
      await form.getByRole('button', { name: 'Register site', exact: true }).click();
      const box = page.getByRole('region', { name: `Client secret for ${SITE_HOST}` });
      await visible(box, 'alice: the secret box after registering');
      await visible(box.getByText('it will not be shown again.', { exact: true }), 'alice: the shown-once warning');
      const secretField = box.getByLabel('Client secret', { exact: true });
      const first = await secretField.inputValue();
      check(/^pcs_/.test(first), `the client secret should start with pcs_, got ${first}`);
      const row = page.getByRole('list', { name: 'My sites' }).getByRole('listitem', { name: SITE_HOST });
      await visible(row, `alice: ${SITE_HOST} in her sites`);
      await visible(row.getByText('Free', { exact: true }), 'alice: its tier, free');
      await visible(row.getByText(/Last used never/), 'alice: never used yet');
      // Copying either works or (headless, no clipboard permission) says to copy by hand.
      await box.getByRole('button', { name: 'Copy secret', exact: true }).click();
      await visible(
        box.getByText(/^(Copied to the clipboard\.|Copying is not available here)/),
        'alice: the outcome of Copy secret',
      );
      const origin = new URL(page.url()).origin;
      await visible(
        page.getByRole('figure', { name: 'The requests' }).getByText(`POST ${origin}/open/v1/token`, { exact: false }),
        "alice: the token request example with this server's origin",
      );
      await shots(page, 'developer', () => visible(box, 'the secret box'));

      await row.getByRole('button', { name: 'Rotate secret', exact: true }).click();
      await row
        .getByRole('group', { name: 'Confirm rotation' })
        .getByRole('button', { name: 'Yes, rotate', exact: true })
        .click();
      await until('a new secret in the secret box', async () => {
        const value = await secretField.inputValue({ timeout: 1000 });
        return /^pcs_/.test(value) && value !== first;
      });
      await gone(row.getByRole('group', { name: 'Confirm rotation' }), 'alice: the rotation confirmation');

      await row.getByRole('button', { name: 'Delete', exact: true }).click();
      await row
        .getByRole('group', { name: 'Confirm deletion' })
        .getByRole('button', { name: 'Yes, delete', exact: true })
        .click();
      await gone(row, `alice: ${SITE_HOST} leaving her sites`);
      await gone(box, 'alice: the secret box once its site is deleted');
      await visible(page.getByText('No sites yet', { exact: true }), 'alice: an empty list of sites');
    },
  ],
  [
    'a newcomer signs up with GitHub in one click, finds it linked in settings, sets a password and signs out',
    async (run) => {
      const octo = await run.addUser('octo');
      const { page } = octo;
      await page.goto('/signin');
      await visible(heading(page, 'Sign in'), 'octo: the sign-in page');
      await page.getByRole('link', { name: 'Continue with GitHub', exact: true }).click();
      // Parley → the provider → Parley's callback → back home, signed in as a new account.
      await visible(heading(page, 'Home'), 'octo: home after signing up with GitHub');
      check(new URL(page.url()).pathname === '/', `octo should be back on /, at ${page.url()}`);
      const session = await octo.context.request.get(`${run.base}/api/v1/auth/session`);
      check(session.status() === 200, `GET /api/v1/auth/session after the provider sign-in: ${session.status()}`);
      const { user } = await session.json();
      check(user?.username === 'octo_e2e', `the new account's username should be octo_e2e: ${JSON.stringify(user)}`);
      check(user.has_password === false, 'an account made through a provider has no password');
      check(user.email === FAKE_EMAIL, `the provider's verified e-mail should be the account's: ${user.email}`);

      await visibleLink(page, 'Settings').click();
      await visible(heading(page, 'Settings'), 'octo: the settings page');
      const row = page.getByRole('list', { name: 'Linked accounts' }).getByRole('listitem', { name: 'GitHub' });
      await visible(row, 'octo: GitHub under the linked accounts');
      await visible(row.getByText(FAKE_EMAIL, { exact: true }), "octo: GitHub's e-mail on its row");
      await visible(heading(page, 'Set a password'), 'octo: "Set a password" (the account has none)');
      check((await page.getByLabel('Current password').count()) === 0, 'no current-password field without a password');
      await visible(
        page.getByRole('link', { name: 'Confirm by signing in with GitHub again', exact: true }),
        'octo: account deletion confirmed by signing in again',
      );
      await visible(
        thisSession(page).getByText(/Signed in with GitHub$/),
        "octo: this session signed in with GitHub (the provider's display name)",
      );
      await run.shots(page, 'settings-linked', () => visible(row, 'the linked accounts'));

      await page.getByLabel('New password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Set password', exact: true }).click();
      await visible(page.getByText('Password set. You can now sign in with it too.', { exact: true }), 'octo: password set');
      await visible(heading(page, 'Password'), 'octo: the ordinary password form once one is set');
      await visible(page.getByLabel('Current password', { exact: true }), 'octo: the current-password field now');

      await page.getByRole('button', { name: 'Sign out' }).filter({ visible: true }).first().click();
      await visible(heading(page, 'Sign in'), 'octo: the sign-in page after signing out');
      const ended = await octo.context.request.get(`${run.base}/api/v1/auth/session`);
      check(ended.status() === 401, `GET /api/v1/auth/session after sign-out should be 401, got ${ended.status()}`);
      // The new password works.
      await page.getByLabel('Username or email', { exact: true }).fill('octo_e2e');
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      // Signing out of settings asked to come back there (`?next=/settings`).
      await visible(heading(page, 'Settings'), 'octo: back on settings after signing in with the new password');
      await visible(heading(page, 'Password'), 'octo: the account has a password now');
      check(run.provider.refusals.length === 0, `the fake provider refused: ${run.provider.refusals.join('; ')}`);
      run.octo = octo;
    },
  ],
  [
    'octo signs in on a phone too, finds both sessions in settings and signs the phone out from there',
    async (run) => {
      const { octo } = run;
      const { page } = octo;
      const phone = await run.addUser('octo-phone', PHONE);
      await phone.page.goto('/signin');
      await visible(heading(phone.page, 'Sign in'), 'octo (phone): the sign-in page');
      await phone.page.getByLabel('Username or email', { exact: true }).fill('octo_e2e');
      await phone.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await phone.page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await visible(heading(phone.page, 'Home'), 'octo (phone): home after signing in');

      // Settings, opened again, lists both: this one marked, the phone's with "Sign out".
      await nav(page, 'Home').click();
      await visible(heading(page, 'Home'), 'octo: home');
      await visibleLink(page, 'Settings').click();
      await visible(heading(page, 'Settings'), 'octo: the settings page');
      const rows = sessionList(page).getByRole('listitem');
      await until('octo: two sessions in the list', async () => (await rows.count()) === 2);
      const here = thisSession(page);
      await visible(here.getByText('This device', { exact: true }), 'octo: this session marked "This device"');
      const other = rows.filter({ hasNotText: 'This device' });
      await visible(other.getByText(/Signed in with Password$/), "octo: the phone's session, signed in with the password");
      await visible(
        page.getByRole('button', { name: 'Sign out all other sessions', exact: true }),
        'octo: "Sign out all other sessions" offered',
      );
      await run.shots(page, 'settings-sessions', () => visible(other, 'the sessions'));

      // The phone's browser goes first: once signed out it would only make failing requests.
      await phone.context.close();
      await other.getByRole('button', { name: /^Sign out / }).click();
      await other
        .getByRole('group', { name: 'Confirm signing out' })
        .getByRole('button', { name: 'Yes, sign out', exact: true })
        .click();
      await gone(other, "octo: the phone's session leaving the list");
      await visible(here, 'octo: this session still listed');
      check((await rows.count()) === 1, `only this session should be left, found ${await rows.count()}`);
      await gone(
        page.getByRole('button', { name: 'Sign out all other sessions', exact: true }),
        'octo: "Sign out all other sessions" once no other session is left',
      );
      const still = await octo.context.request.get(`${run.base}/api/v1/auth/session`);
      check(still.status() === 200, `octo should still be signed in here, GET /api/v1/auth/session: ${still.status()}`);
      await octo.context.close();
    },
  ],
];
