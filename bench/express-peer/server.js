// The Node peer of Parley's social benchmark.
//
// What the apps Parley replaces were built with: Express + Sequelize on
// PostgreSQL, one process (no cluster mode), written the way the Sequelize
// docs teach (models, associations, `include`), with no hand-tuned SQL. It
// serves the two endpoints the benchmark drives, from Parley's own tables in
// the same database, so both servers answer from identical data and indexes:
//
//   GET  /api/v1/timeline?limit=20&cursor=  own + followed users' posts, newest first
//   POST /api/v1/posts {text}               201 Post
//
// Authentication is Parley's: an HS256 access JWT (iss = Parley's public URL,
// aud "parley", sub = user id, sid = session id, typ "access") signed with the
// base64 secret in PARLEY_JWT_SECRET, and the session must still be live in
// the `sessions` table, checked on every request as Parley does.
//
// Environment: DATABASE_URL, PARLEY_JWT_SECRET (required), PARLEY_PUBLIC_URL
// (default http://127.0.0.1:8080), HOST (127.0.0.1), PORT (3000),
// DB_POOL_MAX (20), SQL_LOG (unset).

import express from 'express';
import jwt from 'jsonwebtoken';
import { DataTypes, Op, Sequelize } from 'sequelize';
import { v7 as uuidv7, validate as isUuid } from 'uuid';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/parley_bench';
const PUBLIC_URL = process.env.PARLEY_PUBLIC_URL ?? 'http://127.0.0.1:8080';
const HOST = process.env.HOST ?? '127.0.0.1';
const PORT = Number(process.env.PORT ?? 3000);
if (!process.env.PARLEY_JWT_SECRET) {
  console.error('PARLEY_JWT_SECRET (base64, the same as Parley\'s) is required');
  process.exit(1);
}
const JWT_SECRET = Buffer.from(process.env.PARLEY_JWT_SECRET, 'base64');

const sequelize = new Sequelize(DATABASE_URL, {
  dialect: 'postgres',
  // Logging every query to the console is Sequelize's default and would
  // dominate a benchmark; production deployments turn it off too.
  // SQL_LOG=1 shows the SQL Sequelize generates.
  logging: process.env.SQL_LOG ? console.log : false,
  // Sequelize's default pool is 5 connections; a production config sizes it
  // for the expected concurrency, as Parley's pool (32) is.
  pool: { max: Number(process.env.DB_POOL_MAX ?? 20) },
  // Parley's schema: snake_case columns, no Sequelize-managed timestamps
  // (created_at is unix milliseconds, set by the application).
  define: { timestamps: false, underscored: true, freezeTableName: true },
});

// A function, not a shared object: Sequelize writes into attribute definitions.
const uuidKey = () => ({ type: DataTypes.UUID, primaryKey: true });

const User = sequelize.define('User', {
  id: uuidKey(),
  username: DataTypes.TEXT,
  displayName: DataTypes.TEXT,
  avatarKey: DataTypes.TEXT,
  postsCount: DataTypes.BIGINT,
}, { tableName: 'users' });

const Session = sequelize.define('Session', {
  id: uuidKey(),
  userId: DataTypes.UUID,
  expiresAt: DataTypes.BIGINT,
  revokedAt: DataTypes.BIGINT,
}, { tableName: 'sessions' });

const Post = sequelize.define('Post', {
  id: uuidKey(),
  authorId: DataTypes.UUID,
  text: DataTypes.TEXT,
  likeCount: { type: DataTypes.BIGINT, defaultValue: 0 },
  commentCount: { type: DataTypes.BIGINT, defaultValue: 0 },
  createdAt: DataTypes.BIGINT,
  editedAt: DataTypes.BIGINT,
}, { tableName: 'posts' });

const PostHashtag = sequelize.define('PostHashtag', {
  postId: uuidKey(),
  tag: { type: DataTypes.TEXT, primaryKey: true },
}, { tableName: 'post_hashtags' });

const PostLike = sequelize.define('PostLike', {
  postId: uuidKey(),
  userId: uuidKey(),
  createdAt: DataTypes.BIGINT,
}, { tableName: 'post_likes' });

const Follow = sequelize.define('Follow', {
  followerId: uuidKey(),
  followeeId: uuidKey(),
  createdAt: DataTypes.BIGINT,
}, { tableName: 'follows' });

Post.belongsTo(User, { as: 'author', foreignKey: 'authorId' });
Post.hasMany(PostHashtag, { as: 'hashtags', foreignKey: 'postId' });
Post.hasMany(PostLike, { as: 'likes', foreignKey: 'postId' });
User.hasMany(Follow, { as: 'followings', foreignKey: 'followerId' });

// `#` then letters (any script), digits or `_`, not inside a word; an
// all-digit run is a number, not a tag. Lower-cased, unique, in order.
const HASHTAG = /(?<![\p{L}\p{N}_#@&/])#([\p{L}\p{N}_]+)/gu;
function extractHashtags(text) {
  const tags = [];
  for (const [, run] of text.matchAll(HASHTAG)) {
    if (/^\p{N}+$/u.test(run)) continue;
    const tag = [...run].slice(0, 100).join('').toLowerCase();
    if (!tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

function fail(res, status, code, message, fields) {
  res.status(status).json({ error: fields ? { code, message, fields } : { code, message } });
}

const iso = (ms) => (ms == null ? null : new Date(Number(ms)).toISOString());

// BIGINT comes back from pg as a string (it may not fit a JS number).
function postView(post, author, hashtags, likedByMe) {
  return {
    id: post.id,
    author: {
      id: author.id,
      username: author.username,
      display_name: author.displayName,
      avatar_url: null,
    },
    text: post.text,
    hashtags,
    media: [],
    like_count: Number(post.likeCount),
    comment_count: Number(post.commentCount),
    liked_by_me: likedByMe,
    created_at: iso(post.createdAt),
    edited_at: iso(post.editedAt),
  };
}

async function authenticate(req, res, next) {
  const match = /^Bearer (.+)$/i.exec(req.get('authorization') ?? '');
  if (!match) return fail(res, 401, 'unauthorized', 'sign in first');
  let claims;
  try {
    claims = jwt.verify(match[1].trim(), JWT_SECRET, {
      algorithms: ['HS256'],
      audience: 'parley',
      issuer: PUBLIC_URL,
      clockTolerance: 5,
    });
  } catch (err) {
    const code = err.name === 'TokenExpiredError' ? 'token_expired' : 'unauthorized';
    return fail(res, 401, code, 'invalid or expired token');
  }
  if (claims.typ !== 'access' || !isUuid(claims.sub) || !isUuid(claims.sid)) {
    return fail(res, 401, 'unauthorized', 'invalid token');
  }
  // Live session check: sign-out and password changes take effect at once.
  const session = await Session.findOne({
    attributes: ['userId'],
    where: { id: claims.sid, revokedAt: null, expiresAt: { [Op.gt]: Date.now() } },
  });
  if (!session || session.userId !== claims.sub) {
    return fail(res, 401, 'unauthorized', 'session ended');
  }
  req.userId = claims.sub;
  return next();
}

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '64kb' }));

app.get('/healthz', (req, res) => res.json({ status: 'ok' }));

app.get('/api/v1/timeline', authenticate, async (req, res) => {
  const limit = req.query.limit === undefined ? 20 : Number(req.query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    return fail(res, 422, 'validation_failed', 'invalid query', { limit: 'must be 1 to 100' });
  }
  const cursor = req.query.cursor || null;
  if (cursor !== null && !isUuid(cursor)) {
    return fail(res, 422, 'validation_failed', 'invalid query', { cursor: 'not a cursor' });
  }
  const followings = await Follow.findAll({
    attributes: ['followeeId'],
    where: { followerId: req.userId },
  });
  const where = { authorId: { [Op.in]: [req.userId, ...followings.map((f) => f.followeeId)] } };
  if (cursor !== null) where.id = { [Op.lt]: cursor };
  const posts = await Post.findAll({
    where,
    include: [
      { model: User, as: 'author', attributes: ['id', 'username', 'displayName'] },
      { model: PostHashtag, as: 'hashtags', attributes: ['tag'] },
      { model: PostLike, as: 'likes', attributes: ['userId'], where: { userId: req.userId }, required: false },
    ],
    order: [['id', 'DESC']],
    // One extra row tells whether there is a next page.
    limit: limit + 1,
  });
  const page = posts.slice(0, limit);
  res.json({
    items: page.map((p) => postView(p, p.author, p.hashtags.map((h) => h.tag), p.likes.length > 0)),
    next_cursor: posts.length > limit ? page[page.length - 1].id : null,
  });
});

app.post('/api/v1/posts', authenticate, async (req, res) => {
  if (typeof req.body?.text !== 'string') {
    return fail(res, 422, 'validation_failed', 'invalid post', { text: 'required' });
  }
  const text = req.body.text.trim();
  const length = [...text].length;
  if (length < 1 || length > 500) {
    return fail(res, 422, 'validation_failed', 'invalid post', { text: 'must be 1 to 500 characters' });
  }
  const hashtags = extractHashtags(text);
  // Post, hashtags and the author's counter commit together or not at all.
  const post = await sequelize.transaction(async (transaction) => {
    const created = await Post.create(
      { id: uuidv7(), authorId: req.userId, text, createdAt: Date.now() },
      { transaction },
    );
    if (hashtags.length > 0) {
      await PostHashtag.bulkCreate(hashtags.map((tag) => ({ postId: created.id, tag })), { transaction });
    }
    await User.increment('postsCount', { by: 1, where: { id: req.userId }, transaction });
    return created;
  });
  const author = await User.findByPk(req.userId, { attributes: ['id', 'username', 'displayName'] });
  res.status(201).json(postView(post, author, hashtags, false));
});

app.use((req, res) => fail(res, 404, 'not_found', 'no such route'));

// Express 5 routes rejected promises here too.
app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err.type === 'entity.parse.failed') return fail(res, 400, 'malformed', 'body is not JSON');
  if (err.type === 'entity.too.large') return fail(res, 413, 'too_large', 'body too large');
  console.error(err);
  return fail(res, 500, 'internal', 'internal error');
});

await sequelize.authenticate();
const server = app.listen(PORT, HOST, () => {
  console.log(`express peer listening on http://${HOST}:${PORT} (pid ${process.pid})`);
});

async function shutdown() {
  server.close();
  await sequelize.close();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
