//! The support desk's store: organizations (slug conflicts store nothing,
//! the owner is an agent, the directory search in any script), agents and
//! the last-owner rule (also under concurrent removals), active counts and
//! round robin, FAQ order and search, consultations (opened atomically, the
//! queue's order, assign/close/reopen), sender-less messages numbered with
//! the rest, who may take part in a support conversation, and deleting an
//! organization.

use crate::support::{Backend, TestDb, at, fresh_store, send, user};
use parley_core::page::Cursor;
use parley_core::{
    AgentRole, ConsultationId, ConsultationStatus, ConversationId, ConversationKind, ErrorCode,
    FaqId, MessageId, MessageKind, OrgId, OrgVisibility, UserId,
};
use parley_store::StoreError;
use parley_store::support::{
    Assignment, ConsultationRecord, FaqChanges, FaqRecord, NewConsultation, NewFaq, NewOrg,
    OrgChanges, OrgRecord, RemoveAgent,
};

fn new_org(slug: &str, name: &str, owner: UserId) -> NewOrg {
    NewOrg {
        id: OrgId::new(),
        slug: slug.to_owned(),
        name: name.to_owned(),
        description: format!("about {name}"),
        visibility: OrgVisibility::Public,
        owner,
        created_at: at(0),
    }
}

async fn org(db: &TestDb, slug: &str, owner: UserId) -> OrgRecord {
    db.create_org(&new_org(slug, slug, owner))
        .await
        .expect("create the test organization")
}

fn new_consultation(org: OrgId, customer: UserId, subject: &str, ms: i64) -> NewConsultation {
    NewConsultation {
        id: ConsultationId::new(),
        org,
        customer,
        subject: subject.to_owned(),
        first_text: format!("{subject}: help"),
        conversation_id: ConversationId::new(),
        message_id: MessageId::new(),
        at: at(ms),
        assign_to: None,
    }
}

/// A message from `sender` in the consultation's conversation at `ms`.
async fn say(db: &TestDb, c: &ConsultationRecord, sender: UserId, ms: i64) {
    db.send_message(&parley_store::messages::NewMessage {
        id: MessageId::new(),
        conversation_id: c.conversation_id,
        sender_id: sender,
        text: format!("at {ms}"),
        client_id: None,
        media: Vec::new(),
        created_at: at(ms),
    })
    .await
    .expect("send in the consultation");
}

async fn consult(
    db: &TestDb,
    org: OrgId,
    customer: UserId,
    subject: &str,
    ms: i64,
) -> ConsultationRecord {
    db.open_consultation(&new_consultation(org, customer, subject, ms))
        .await
        .expect("open the test consultation")
}

fn subjects(list: &[ConsultationRecord]) -> Vec<&str> {
    list.iter().map(|c| c.subject.as_str()).collect()
}

async fn faq(
    db: &TestDb,
    org: OrgId,
    question: &str,
    answer: &str,
    position: Option<i64>,
) -> FaqRecord {
    db.create_faq(&NewFaq {
        id: FaqId::new(),
        org,
        question: question.to_owned(),
        answer: answer.to_owned(),
        position,
        at: at(0),
    })
    .await
    .expect("create the test FAQ entry")
}

fn questions(list: &[FaqRecord]) -> Vec<&str> {
    list.iter().map(|f| f.question.as_str()).collect()
}

pub async fn create_org_makes_the_owner_an_agent_and_slugs_are_unique(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let new = new_org("acme", "Acme", alice);
    let created = db.create_org(&new).await.expect("create");
    assert_eq!(created.id, new.id);
    assert_eq!(
        (
            created.slug.as_str(),
            created.name.as_str(),
            created.visibility
        ),
        ("acme", "Acme", OrgVisibility::Public)
    );
    assert_eq!(
        (
            created.auto_assign,
            created.agent_capacity,
            created.avatar_key
        ),
        (false, None, None)
    );
    assert_eq!(created.created_at, at(0).as_millis());
    assert_eq!(
        db.role_of(new.id, alice).await.expect("role"),
        Some(AgentRole::Owner)
    );
    assert_eq!(db.role_of(new.id, bob).await.expect("role"), None);

    let taken = db.create_org(&new_org("acme", "Other", bob)).await;
    assert!(
        matches!(taken, Err(StoreError::Conflict(ErrorCode::SlugTaken))),
        "{taken:?}"
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM organizations").await, 1);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM org_agents").await,
        1,
        "nothing stored on conflict"
    );

    let found = db
        .org_by_slug("acme")
        .await
        .expect("by slug")
        .expect("found");
    assert_eq!(found.id, new.id);
    assert!(db.org_by_slug("nope").await.expect("by slug").is_none());

    let changed = db
        .update_org(
            new.id,
            &OrgChanges {
                name: Some("Acme Inc".into()),
                auto_assign: Some(true),
                agent_capacity: Some(Some(3)),
                ..OrgChanges::default()
            },
        )
        .await
        .expect("update")
        .expect("exists");
    assert_eq!(
        (changed.name.as_str(), changed.description.as_str()),
        ("Acme Inc", "about Acme")
    );
    assert_eq!(
        (changed.auto_assign, changed.agent_capacity),
        (true, Some(3))
    );
    let changed = db
        .update_org(
            new.id,
            &OrgChanges {
                visibility: Some(OrgVisibility::Hidden),
                agent_capacity: Some(None),
                ..OrgChanges::default()
            },
        )
        .await
        .expect("update")
        .expect("exists");
    assert_eq!(
        (
            changed.visibility,
            changed.agent_capacity,
            changed.auto_assign
        ),
        (OrgVisibility::Hidden, None, true)
    );
    let unchanged = db
        .update_org(new.id, &OrgChanges::default())
        .await
        .expect("update")
        .expect("exists");
    assert_eq!(
        (unchanged.name.as_str(), unchanged.agent_capacity),
        ("Acme Inc", None)
    );
    assert!(
        db.update_org(OrgId::new(), &OrgChanges::default())
            .await
            .expect("update")
            .is_none()
    );

    let uploader = user(&db, "uploader").await;
    let avatar = |key: &str| parley_store::media::NewMedia {
        id: parley_core::MediaId::new(),
        owner_id: uploader,
        content_type: "image/png".to_owned(),
        original_key: format!("avatars/{key}.png"),
        thumbnail_key: format!("avatars/{key}-small.png"),
        width: 256,
        height: 256,
        size_bytes: 100,
        created_at: at(5),
    };
    assert!(
        db.set_org_avatar(new.id, &avatar("one"))
            .await
            .expect("avatar")
    );
    let with_avatar = db.org_by_id(new.id).await.expect("by id").expect("exists");
    assert_eq!(with_avatar.avatar_key.as_deref(), Some("avatars/one.png"));
    const LIVE: &str = "SELECT COUNT(*) FROM media WHERE org_avatar_of IS NOT NULL";
    assert_eq!(db.count(LIVE).await, 1);
    assert!(
        db.set_org_avatar(new.id, &avatar("two"))
            .await
            .expect("replace")
    );
    assert_eq!(
        db.count(LIVE).await,
        1,
        "the old one is no one's avatar any more"
    );
    // The replaced one is garbage; the current one is not, even unowned.
    db.collect_media_garbage(at(0), at(10))
        .await
        .expect("collect");
    assert_eq!(db.count("SELECT COUNT(*) FROM media").await, 1);
    assert!(db.delete_user(uploader).await.expect("delete the uploader"));
    db.collect_media_garbage(at(0), at(10))
        .await
        .expect("collect");
    assert_eq!(
        db.count("SELECT COUNT(*) FROM media").await,
        1,
        "an organization's avatar outlives its uploader's account"
    );
    assert!(db.clear_org_avatar(new.id).await.expect("clear avatar"));
    assert_eq!(
        db.org_by_id(new.id)
            .await
            .expect("by id")
            .expect("exists")
            .avatar_key,
        None
    );
    db.collect_media_garbage(at(0), at(10))
        .await
        .expect("collect");
    assert_eq!(db.count("SELECT COUNT(*) FROM media").await, 0);
    assert!(!db.clear_org_avatar(OrgId::new()).await.expect("unknown"));
    assert!(
        !db.set_org_avatar(OrgId::new(), &avatar("three"))
            .await
            .expect("unknown")
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM media").await,
        0,
        "nothing stored for nobody"
    );
}

pub async fn directory_search_matches_substrings_in_any_script(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let seoul = db
        .create_org(&new_org("seoul-help", "서울 고객센터", alice))
        .await
        .expect("create");
    let acme = db
        .create_org(&new_org("acme", "ACME Support", alice))
        .await
        .expect("create");
    let emile = db
        .create_org(&new_org("emile", "École Émile", alice))
        .await
        .expect("create");
    let mut hidden = new_org("hidden-desk", "Hidden Support", alice);
    hidden.visibility = OrgVisibility::Hidden;
    db.create_org(&hidden).await.expect("create hidden");

    let slugs = |list: Vec<OrgRecord>| list.into_iter().map(|o| o.slug).collect::<Vec<_>>();
    assert_eq!(
        slugs(db.search_orgs("고객", None, 10).await.expect("search")),
        ["seoul-help"]
    );
    assert_eq!(
        slugs(db.search_orgs("acme sup", None, 10).await.expect("search")),
        ["acme"]
    );
    assert_eq!(
        slugs(db.search_orgs("support", None, 10).await.expect("search")),
        ["acme"],
        "hidden ones are left out"
    );
    assert_eq!(
        slugs(db.search_orgs("ÉMILE", None, 10).await.expect("search")),
        ["emile"],
        "non-ASCII case folds"
    );
    assert_eq!(
        slugs(db.search_orgs("ul-he", None, 10).await.expect("search")),
        ["seoul-help"],
        "slugs match too"
    );
    assert!(
        db.search_orgs("hidden", None, 10)
            .await
            .expect("search")
            .is_empty()
    );
    assert!(
        db.search_orgs("%", None, 10)
            .await
            .expect("search")
            .is_empty(),
        "% is literal"
    );
    assert!(
        db.search_orgs("_", None, 10)
            .await
            .expect("search")
            .is_empty(),
        "_ is literal"
    );
    assert_eq!(
        db.org_by_slug("hidden-desk")
            .await
            .expect("by slug")
            .map(|o| o.visibility),
        Some(OrgVisibility::Hidden),
        "a hidden one still opens by slug"
    );

    let first = db.search_orgs("", None, 2).await.expect("page 1");
    assert_eq!(
        first.iter().map(|o| o.id).collect::<Vec<_>>(),
        [seoul.id, acme.id, emile.id],
        "oldest first, limit + 1"
    );
    let next = db
        .search_orgs("", Some(Cursor::after_id(acme.id.0)), 2)
        .await
        .expect("page 2");
    assert_eq!(next.iter().map(|o| o.id).collect::<Vec<_>>(), [emile.id]);
}

pub async fn agents_and_the_last_owner_rule(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let carol = user(&db, "carol").await;
    let dave = user(&db, "dave").await;
    let acme = org(&db, "acme", alice).await;
    assert!(
        db.add_agent(acme.id, bob, AgentRole::Agent, at(1))
            .await
            .expect("add")
    );
    assert!(
        !db.add_agent(acme.id, bob, AgentRole::Owner, at(2))
            .await
            .expect("again"),
        "already one"
    );
    assert_eq!(
        db.role_of(acme.id, bob).await.expect("role"),
        Some(AgentRole::Agent),
        "role kept"
    );

    let agents = db.agents_of(acme.id).await.expect("agents");
    let listed: Vec<_> = agents
        .iter()
        .map(|a| (a.username.as_str(), a.role))
        .collect();
    assert_eq!(
        listed,
        [("alice", AgentRole::Owner), ("bob", AgentRole::Agent)]
    );
    assert_eq!(agents[0].display_name, "alice display");

    assert_eq!(
        db.remove_agent(acme.id, alice).await.expect("remove"),
        RemoveAgent::LastOwner
    );
    assert_eq!(
        db.remove_agent(acme.id, dave).await.expect("remove"),
        RemoveAgent::NotAgent
    );
    assert!(
        db.add_agent(acme.id, carol, AgentRole::Owner, at(3))
            .await
            .expect("add owner")
    );
    assert_eq!(
        db.remove_agent(acme.id, alice).await.expect("remove"),
        RemoveAgent::Removed(vec![]),
        "a second owner remains"
    );
    assert_eq!(db.role_of(acme.id, alice).await.expect("role"), None);
    assert_eq!(
        db.remove_agent(acme.id, carol).await.expect("remove"),
        RemoveAgent::LastOwner
    );
    assert_eq!(
        db.remove_agent(acme.id, bob).await.expect("remove"),
        RemoveAgent::Removed(vec![]),
        "agents go freely"
    );
    let left: Vec<_> = db
        .agents_of(acme.id)
        .await
        .expect("agents")
        .into_iter()
        .map(|a| a.user_id)
        .collect();
    assert_eq!(left, [carol]);

    let other = org(&db, "other", dave).await;
    let orgs = db.orgs_of_agent(carol).await.expect("orgs of carol");
    assert_eq!(orgs, [(acme.id, AgentRole::Owner)]);
    assert_eq!(
        db.orgs_of_agent(dave).await.expect("orgs of dave"),
        [(other.id, AgentRole::Owner)]
    );
}

pub async fn concurrent_removals_of_the_last_two_owners_keep_one(backend: Backend) {
    let db = fresh_store(backend).await;
    for round in 0..5 {
        let alice = user(&db, &format!("alice{round}")).await;
        let bob = user(&db, &format!("bob{round}")).await;
        let acme = org(&db, &format!("acme{round}"), alice).await;
        assert!(
            db.add_agent(acme.id, bob, AgentRole::Owner, at(1))
                .await
                .expect("add owner")
        );
        let (s1, s2) = (db.store.clone(), db.store.clone());
        let a = tokio::spawn(async move { s1.remove_agent(acme.id, alice).await });
        let b = tokio::spawn(async move { s2.remove_agent(acme.id, bob).await });
        let mut outcomes = [
            a.await.expect("task").expect("remove alice"),
            b.await.expect("task").expect("remove bob"),
        ];
        outcomes.sort_by_key(|o| *o == RemoveAgent::LastOwner);
        assert_eq!(
            outcomes,
            [RemoveAgent::Removed(vec![]), RemoveAgent::LastOwner],
            "round {round}"
        );
        let owners: Vec<_> = db
            .agents_of(acme.id)
            .await
            .expect("agents")
            .into_iter()
            .filter(|a| a.role == AgentRole::Owner)
            .collect();
        assert_eq!(owners.len(), 1, "round {round}: one owner is left");
    }
}

pub async fn active_counts_and_round_robin(backend: Backend) {
    let db = fresh_store(backend).await;
    let owner = user(&db, "owner").await;
    let bob = user(&db, "bob").await;
    let carol = user(&db, "carol").await;
    let customer = user(&db, "customer").await;
    let acme = org(&db, "acme", owner).await;
    for agent in [bob, carol] {
        assert!(
            db.add_agent(acme.id, agent, AgentRole::Agent, at(1))
                .await
                .expect("add")
        );
    }
    // Nobody assigned yet: everyone is at 0 and was never assigned, so the
    // tie goes by user id (users were made in this order, UUIDv7).
    assert_eq!(
        db.pick_round_robin_agent(acme.id, None)
            .await
            .expect("pick"),
        Some(owner)
    );

    let mut opened = Vec::new();
    for (i, assignee) in [bob, bob, carol].into_iter().enumerate() {
        let mut new = new_consultation(acme.id, customer, &format!("c{i}"), 10 + i as i64);
        new.assign_to = Some(Assignment {
            agent: assignee,
            note: "assigned".to_owned(),
        });
        let c = db.open_consultation(&new).await.expect("open assigned");
        assert_eq!(
            (c.status, c.assignee_id),
            (ConsultationStatus::Active, Some(assignee))
        );
        opened.push(c);
    }
    let waiting = consult(&db, acme.id, customer, "waiting", 20).await;
    assert_eq!(waiting.status, ConsultationStatus::Waiting);
    db.close_consultation(opened[2].id, "note", at(30))
        .await
        .expect("close")
        .expect("exists");

    let counts: Vec<_> = db
        .agents_of(acme.id)
        .await
        .expect("agents")
        .into_iter()
        .map(|a| (a.username, a.active_count))
        .collect();
    assert_eq!(
        counts,
        [
            ("owner".to_owned(), 0),
            ("bob".to_owned(), 2),
            ("carol".to_owned(), 0)
        ],
        "closed ones do not count"
    );

    // owner and carol both have 0 active; carol was assigned one (now
    // closed), owner never: owner is next.
    assert_eq!(
        db.pick_round_robin_agent(acme.id, None)
            .await
            .expect("pick"),
        Some(owner)
    );
    db.assign_consultation(waiting.id, owner, "note", at(40))
        .await
        .expect("assign")
        .expect("exists");
    // Now owner 1, bob 2, carol 0.
    assert_eq!(
        db.pick_round_robin_agent(acme.id, Some(1))
            .await
            .expect("pick"),
        Some(carol)
    );
    let c = consult(&db, acme.id, customer, "for carol", 50).await;
    db.assign_consultation(c.id, carol, "note", at(51))
        .await
        .expect("assign")
        .expect("exists");
    // owner 1, bob 2, carol 1: with capacity 1 nobody is free, with 2 the
    // tie between owner and carol goes to owner (assigned longer ago).
    assert_eq!(
        db.pick_round_robin_agent(acme.id, Some(1))
            .await
            .expect("pick"),
        None
    );
    assert_eq!(
        db.pick_round_robin_agent(acme.id, Some(2))
            .await
            .expect("pick"),
        Some(owner)
    );
    assert_eq!(
        db.pick_round_robin_agent(OrgId::new(), None)
            .await
            .expect("pick"),
        None
    );
}

pub async fn removing_an_agent_requeues_their_consultations(backend: Backend) {
    let db = fresh_store(backend).await;
    let owner = user(&db, "owner").await;
    let bob = user(&db, "bob").await;
    let customer = user(&db, "customer").await;
    let acme = org(&db, "acme", owner).await;
    db.add_agent(acme.id, bob, AgentRole::Agent, at(1))
        .await
        .expect("add");
    let open = consult(&db, acme.id, customer, "open", 10).await;
    let closed = consult(&db, acme.id, customer, "closed", 11).await;
    for c in [&open, &closed] {
        db.assign_consultation(c.id, bob, "note", at(20))
            .await
            .expect("assign")
            .expect("exists");
    }
    db.close_consultation(closed.id, "note", at(21))
        .await
        .expect("close")
        .expect("exists");
    assert_eq!(
        db.remove_agent(acme.id, bob).await.expect("remove"),
        RemoveAgent::Removed(vec![open.id]),
        "the open one is requeued, and named"
    );
    let open = db
        .consultation_by_id(open.id)
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(
        (open.status, open.assignee_id),
        (ConsultationStatus::Waiting, None)
    );
    let closed = db
        .consultation_by_id(closed.id)
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(
        (closed.status, closed.assignee_id),
        (ConsultationStatus::Closed, None)
    );
    let reopened = db
        .reopen_consultation(closed.id, "note", at(30))
        .await
        .expect("reopen")
        .expect("exists");
    assert_eq!(
        reopened.status,
        ConsultationStatus::Waiting,
        "back to the queue, not to bob"
    );
}

pub async fn faqs_are_ordered_by_position_then_creation(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let acme = org(&db, "acme", alice).await;
    let other = org(&db, "other", alice).await;
    let a = faq(&db, acme.id, "a", "1", None).await;
    let b = faq(&db, acme.id, "b", "2", None).await;
    assert_eq!((a.position, b.position), (1, 2), "appended after the last");
    let c = faq(&db, acme.id, "c", "3", Some(1)).await;
    let d = faq(&db, acme.id, "d", "4", None).await;
    assert_eq!((c.position, d.position), (1, 3));
    faq(&db, other.id, "elsewhere", "x", None).await;
    let all = db.faqs_of(acme.id, None, None, 10).await.expect("list");
    assert_eq!(
        questions(&all),
        ["a", "c", "b", "d"],
        "position, then creation"
    );

    let page = db.faqs_of(acme.id, None, None, 2).await.expect("page 1");
    assert_eq!(questions(&page), ["a", "c", "b"], "limit + 1");
    let page = db
        .faqs_of(acme.id, None, Some(page[1].cursor()), 2)
        .await
        .expect("page 2");
    assert_eq!(questions(&page), ["b", "d"]);

    let moved = db
        .update_faq(
            acme.id,
            a.id,
            &FaqChanges {
                position: Some(5),
                answer: Some("one".into()),
                ..FaqChanges::default()
            },
            at(9),
        )
        .await
        .expect("update")
        .expect("exists");
    assert_eq!(
        (
            moved.question.as_str(),
            moved.answer.as_str(),
            moved.position,
            moved.updated_at
        ),
        ("a", "one", 5, at(9).as_millis())
    );
    assert_eq!(moved.created_at, at(0).as_millis());
    assert!(
        db.update_faq(other.id, a.id, &FaqChanges::default(), at(9))
            .await
            .expect("update")
            .is_none(),
        "another organization's entry"
    );
    let all = db.faqs_of(acme.id, None, None, 10).await.expect("list");
    assert_eq!(questions(&all), ["c", "b", "d", "a"]);

    assert!(db.faq_by_id(acme.id, b.id).await.expect("get").is_some());
    assert!(db.faq_by_id(other.id, b.id).await.expect("get").is_none());
    assert!(
        !db.delete_faq(other.id, b.id)
            .await
            .expect("delete elsewhere")
    );
    assert!(db.delete_faq(acme.id, b.id).await.expect("delete"));
    assert!(!db.delete_faq(acme.id, b.id).await.expect("delete again"));
    assert_eq!(
        questions(&db.faqs_of(acme.id, None, None, 10).await.expect("list")),
        ["c", "d", "a"]
    );
}

pub async fn faq_search_in_question_and_answer(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let acme = org(&db, "acme", alice).await;
    faq(&db, acme.id, "How do I get a REFUND?", "Write to us.", None).await;
    faq(
        &db,
        acme.id,
        "배송은 얼마나 걸리나요?",
        "보통 이틀 걸립니다.",
        None,
    )
    .await;
    faq(&db, acme.id, "Discounts", "Members get 50% off", None).await;
    faq(&db, acme.id, "file_name rules", "Use letters.", None).await;
    faq(
        &db,
        acme.id,
        "Opening hours",
        "Nine to five, refunds at the desk",
        None,
    )
    .await;

    let search = |q: &'static str| {
        let db = &db;
        async move {
            questions(
                &db.faqs_of(acme.id, Some(q), None, 10)
                    .await
                    .expect("search"),
            )
            .iter()
            .map(|s| (*s).to_owned())
            .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        search("refund").await,
        ["How do I get a REFUND?", "Opening hours"],
        "question or answer, any case"
    );
    assert_eq!(search("배송").await, ["배송은 얼마나 걸리나요?"]);
    assert_eq!(
        search("이틀").await,
        ["배송은 얼마나 걸리나요?"],
        "Korean in the answer"
    );
    assert_eq!(search("50%").await, ["Discounts"]);
    assert!(search("5%f").await.is_empty(), "% matches only itself");
    assert_eq!(search("e_n").await, ["file_name rules"]);
    assert!(search("g_t").await.is_empty(), "_ matches only itself");
    assert_eq!(
        search("  ").await.len(),
        5,
        "a blank query lists everything"
    );
}

pub async fn open_consultation_is_atomic(backend: Backend) {
    let db = fresh_store(backend).await;
    let owner = user(&db, "owner").await;
    let customer = user(&db, "customer").await;
    let acme = org(&db, "acme", owner).await;
    let new = new_consultation(acme.id, customer, "Broken login", 5);
    let c = db.open_consultation(&new).await.expect("open");
    assert_eq!(
        (c.id, c.org_id, c.customer_id, c.conversation_id),
        (new.id, acme.id, customer, new.conversation_id)
    );
    assert_eq!(
        (c.status, c.assignee_id, c.closed_at),
        (ConsultationStatus::Waiting, None, None)
    );
    assert_eq!(
        (c.created_at, c.last_activity_at),
        (at(5).as_millis(), at(5).as_millis())
    );
    assert_eq!(
        (
            c.org_slug.as_str(),
            c.org_name.as_str(),
            c.customer_username.as_str()
        ),
        ("acme", "acme", "customer")
    );
    assert_eq!(c.assignee_username, None);

    let conv = db
        .conversation(c.conversation_id)
        .await
        .expect("conversation")
        .expect("exists");
    assert_eq!(
        (conv.kind, conv.title.as_deref(), conv.last_seq),
        (ConversationKind::Support, Some("Broken login"), 1)
    );
    let members = db.members_of(&[conv.id]).await.expect("members");
    assert_eq!(
        members
            .iter()
            .map(|m| (m.user_id, m.last_read_seq))
            .collect::<Vec<_>>(),
        [(customer, 1)],
        "the customer only, who read their message"
    );
    assert!(
        !db.is_member(conv.id, owner).await.expect("member"),
        "agents are not member rows"
    );
    let history = db.messages_after(conv.id, 0, 10).await.expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(
        (
            history[0].id,
            history[0].seq,
            history[0].sender_id,
            history[0].text.as_str()
        ),
        (new.message_id, 1, Some(customer), "Broken login: help")
    );
    assert_eq!(history[0].kind, MessageKind::Text);
    assert_eq!(
        db.unread_counts(customer, &[conv.id])
            .await
            .expect("unread"),
        [(conv.id, 0)]
    );
    assert_eq!(
        db.consultation_by_conversation(conv.id)
            .await
            .expect("by conversation")
            .map(|x| x.id),
        Some(c.id)
    );

    // Reusing the conversation id fails at the first insert; a fresh
    // conversation with a reused message id fails in the middle: either
    // way nothing of the consultation is stored.
    let mut clash = new_consultation(acme.id, customer, "again", 6);
    clash.conversation_id = new.conversation_id;
    assert!(db.open_consultation(&clash).await.is_err());
    let mut clash = new_consultation(acme.id, customer, "again", 6);
    clash.message_id = new.message_id;
    assert!(db.open_consultation(&clash).await.is_err());
    let mut clash = new_consultation(acme.id, customer, "again", 6);
    clash.id = c.id;
    assert!(
        db.open_consultation(&clash).await.is_err(),
        "a reused consultation id fails last"
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM conversations").await, 1);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM conversation_members").await,
        1
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM messages").await, 1);
    assert_eq!(db.count("SELECT COUNT(*) FROM consultations").await, 1);

    let mut assigned = new_consultation(acme.id, customer, "assigned", 7);
    assigned.assign_to = Some(Assignment {
        agent: owner,
        note: "Assigned to owner".to_owned(),
    });
    let a = db
        .open_consultation(&assigned)
        .await
        .expect("open assigned");
    assert_eq!(
        (a.status, a.assignee_id, a.assignee_username.as_deref()),
        (ConsultationStatus::Active, Some(owner), Some("owner"))
    );
    let notes = db
        .messages_after(a.conversation_id, 0, 10)
        .await
        .expect("history");
    assert_eq!(
        notes
            .iter()
            .map(|m| (m.seq, m.kind, m.sender_id, m.text.as_str()))
            .collect::<Vec<_>>(),
        [
            (1, MessageKind::Text, Some(customer), "assigned: help"),
            (2, MessageKind::System, None, "Assigned to owner")
        ],
        "an assignment at opening is noted as seq 2"
    );
}

pub async fn queue_order_and_paging(backend: Backend) {
    let db = fresh_store(backend).await;
    let owner = user(&db, "owner").await;
    let bob = user(&db, "bob").await;
    let customer = user(&db, "customer").await;
    let other_customer = user(&db, "other").await;
    let acme = org(&db, "acme", owner).await;
    let elsewhere = org(&db, "elsewhere", owner).await;
    db.add_agent(acme.id, bob, AgentRole::Agent, at(0))
        .await
        .expect("add");
    let w1 = consult(&db, acme.id, customer, "w1", 10).await;
    let w2 = consult(&db, acme.id, other_customer, "w2", 20).await;
    let w3 = consult(&db, acme.id, customer, "w3", 30).await;
    let a1 = consult(&db, acme.id, customer, "a1", 40).await;
    let a2 = consult(&db, acme.id, other_customer, "a2", 50).await;
    consult(&db, elsewhere.id, customer, "elsewhere", 60).await;
    db.assign_consultation(a1.id, owner, "note", at(100))
        .await
        .expect("assign")
        .expect("exists");
    db.assign_consultation(a2.id, bob, "note", at(110))
        .await
        .expect("assign")
        .expect("exists");
    say(&db, &a1, customer, 120).await;
    // A message from the past (a slow clock elsewhere) never moves it back.
    say(&db, &a1, customer, 115).await;
    assert_eq!(
        db.consultation_by_id(a1.id)
            .await
            .expect("get")
            .expect("exists")
            .last_activity_at,
        at(120).as_millis()
    );
    // A message bumps the activity time but not the queue place of a waiting one.
    say(&db, &w1, customer, 130).await;

    let waiting = Some(ConsultationStatus::Waiting);
    let active = Some(ConsultationStatus::Active);
    assert_eq!(
        subjects(
            &db.queue(acme.id, waiting, None, None, 10)
                .await
                .expect("queue")
        ),
        ["w1", "w2", "w3"],
        "oldest first"
    );
    assert_eq!(
        subjects(
            &db.queue(acme.id, active, None, None, 10)
                .await
                .expect("queue")
        ),
        ["a1", "a2"],
        "most recently active first"
    );
    assert_eq!(
        subjects(
            &db.queue(acme.id, active, Some(bob), None, 10)
                .await
                .expect("queue")
        ),
        ["a2"]
    );
    assert_eq!(
        subjects(
            &db.queue(acme.id, None, None, None, 10)
                .await
                .expect("queue")
        ),
        ["w1", "a1", "a2", "w3", "w2"],
        "no filter: by activity"
    );

    let page = db
        .queue(acme.id, waiting, None, None, 1)
        .await
        .expect("page 1");
    assert_eq!(subjects(&page), ["w1", "w2"]);
    let page = db
        .queue(acme.id, waiting, None, Some(page[0].cursor(waiting)), 1)
        .await
        .expect("page 2");
    assert_eq!(subjects(&page), ["w2", "w3"]);
    let page = db
        .queue(acme.id, waiting, None, Some(page[1].cursor(waiting)), 1)
        .await
        .expect("page 3");
    assert!(page.is_empty());
    let page = db
        .queue(
            acme.id,
            active,
            None,
            Some(
                db.consultation_by_id(a1.id)
                    .await
                    .expect("get")
                    .expect("exists")
                    .cursor(active),
            ),
            5,
        )
        .await
        .expect("active page 2");
    assert_eq!(subjects(&page), ["a2"]);

    let mine = db
        .consultations_of_customer(customer, None, None, 10)
        .await
        .expect("mine");
    assert_eq!(subjects(&mine), ["w1", "a1", "elsewhere", "w3"]);
    let mine = db
        .consultations_of_customer(customer, waiting, None, 10)
        .await
        .expect("mine waiting");
    assert_eq!(
        subjects(&mine),
        ["w1", "w3", "elsewhere"],
        "waiting: oldest first"
    );
    let page = db
        .consultations_of_customer(customer, None, Some(mine[0].cursor(None)), 10)
        .await
        .expect("after w1");
    assert_eq!(subjects(&page), ["a1", "elsewhere", "w3"]);
    let _ = (w2, w3);
}

pub async fn assign_close_and_reopen(backend: Backend) {
    let db = fresh_store(backend).await;
    let owner = user(&db, "owner").await;
    let bob = user(&db, "bob").await;
    let customer = user(&db, "customer").await;
    let acme = org(&db, "acme", owner).await;
    db.add_agent(acme.id, bob, AgentRole::Agent, at(0))
        .await
        .expect("add");
    let c = consult(&db, acme.id, customer, "case", 10).await;
    assert!(
        db.reopen_consultation(c.id, "note", at(11))
            .await
            .expect("reopen")
            .is_some_and(|x| x.status == ConsultationStatus::Waiting),
        "reopening an open one changes nothing"
    );

    let assigned = db
        .assign_consultation(c.id, owner, "note", at(20))
        .await
        .expect("assign")
        .expect("exists");
    assert_eq!(
        (
            assigned.status,
            assigned.assignee_id,
            assigned.last_activity_at
        ),
        (ConsultationStatus::Active, Some(owner), at(20).as_millis())
    );
    let reassigned = db
        .assign_consultation(c.id, bob, "note", at(21))
        .await
        .expect("reassign")
        .expect("exists");
    assert_eq!(
        (reassigned.status, reassigned.assignee_username.as_deref()),
        (ConsultationStatus::Active, Some("bob"))
    );

    let closed = db
        .close_consultation(c.id, "note", at(30))
        .await
        .expect("close")
        .expect("exists");
    assert_eq!(
        (closed.status, closed.closed_at, closed.assignee_id),
        (
            ConsultationStatus::Closed,
            Some(at(30).as_millis()),
            Some(bob)
        )
    );
    let again = db
        .close_consultation(c.id, "note", at(31))
        .await
        .expect("close again")
        .expect("exists");
    assert_eq!(
        again.closed_at,
        Some(at(30).as_millis()),
        "the first close is kept"
    );
    let refused = db
        .assign_consultation(c.id, owner, "note", at(32))
        .await
        .expect("assign closed")
        .expect("exists");
    assert_eq!(
        (refused.status, refused.assignee_id),
        (ConsultationStatus::Closed, Some(bob)),
        "a closed one is not assigned"
    );

    let reopened = db
        .reopen_consultation(c.id, "note", at(40))
        .await
        .expect("reopen")
        .expect("exists");
    assert_eq!(
        (reopened.status, reopened.assignee_id, reopened.closed_at),
        (ConsultationStatus::Active, Some(bob), None),
        "back to its assignee"
    );
    assert_eq!(reopened.last_activity_at, at(40).as_millis());

    let unassigned = consult(&db, acme.id, customer, "nobody", 50).await;
    db.close_consultation(unassigned.id, "note", at(51))
        .await
        .expect("close")
        .expect("exists");
    let reopened = db
        .reopen_consultation(unassigned.id, "note", at(52))
        .await
        .expect("reopen")
        .expect("exists");
    assert_eq!(
        (reopened.status, reopened.assignee_id),
        (ConsultationStatus::Waiting, None)
    );

    let unknown = ConsultationId::new();
    assert!(
        db.assign_consultation(unknown, bob, "note", at(60))
            .await
            .expect("assign")
            .is_none()
    );
    assert!(
        db.close_consultation(unknown, "note", at(60))
            .await
            .expect("close")
            .is_none()
    );
    assert!(
        db.reopen_consultation(unknown, "note", at(60))
            .await
            .expect("reopen")
            .is_none()
    );
}

pub async fn support_messages_take_the_next_seq(backend: Backend) {
    let db = fresh_store(backend).await;
    let owner = user(&db, "owner").await;
    let customer = user(&db, "customer").await;
    let acme = org(&db, "acme", owner).await;
    let c = consult(&db, acme.id, customer, "case", 10).await;
    let conv = c.conversation_id;
    send(&db, conv, customer, "more detail").await;
    let assigned = db
        .assign_consultation(c.id, owner, "Assigned to owner", at(20))
        .await
        .expect("assign")
        .expect("exists");
    let note = assigned.note.clone().expect("a note");
    assert_eq!(
        (
            note.seq,
            note.kind,
            note.sender_id,
            note.sender_username.as_deref(),
            note.text.as_str()
        ),
        (3, MessageKind::System, None, None, "Assigned to owner")
    );
    assert_eq!(note.created_at, at(20).as_millis());
    send(&db, conv, owner, "hello").await;
    let [question, answer] = db
        .add_faq_exchange(conv, customer, "Reset?", "Try restarting.", at(30))
        .await
        .expect("faq exchange")
        .expect("conversation exists");
    assert_eq!(
        (question.seq, question.kind, question.sender_id),
        (5, MessageKind::Text, Some(customer))
    );
    assert_eq!(
        (
            answer.seq,
            answer.kind,
            answer.sender_id,
            answer.text.as_str()
        ),
        (6, MessageKind::Auto, None, "Try restarting.")
    );

    let history = db.messages_after(conv, 0, 10).await.expect("history");
    assert_eq!(
        history.iter().map(|m| (m.seq, m.kind)).collect::<Vec<_>>(),
        [
            (1, MessageKind::Text),
            (2, MessageKind::Text),
            (3, MessageKind::System),
            (4, MessageKind::Text),
            (5, MessageKind::Text),
            (6, MessageKind::Auto)
        ],
        "gap-free, whoever writes"
    );
    assert_eq!(
        db.conversation(conv)
            .await
            .expect("get")
            .expect("exists")
            .last_seq,
        6
    );
    let after = db
        .consultation_by_id(c.id)
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(
        after.last_activity_at,
        at(30).as_millis(),
        "an FAQ exchange is activity"
    );
    assert_eq!(
        db.unread_counts(customer, &[conv]).await.expect("unread"),
        [(conv, 1)],
        "the customer read up to their question; the answer is new"
    );
    assert_eq!(after.customer_unread, 1);
    assert!(
        db.add_faq_exchange(ConversationId::new(), customer, "q", "a", at(40))
            .await
            .expect("unknown")
            .is_none()
    );
}

pub async fn a_closed_consultation_takes_no_messages(backend: Backend) {
    let db = fresh_store(backend).await;
    let owner = user(&db, "owner").await;
    let customer = user(&db, "customer").await;
    let acme = org(&db, "acme", owner).await;
    let c = consult(&db, acme.id, customer, "case", 10).await;
    let conv = c.conversation_id;
    let closed = db
        .close_consultation(c.id, "Closed by owner", at(20))
        .await
        .expect("close")
        .expect("exists");
    assert_eq!(closed.note.as_ref().map(|n| n.seq), Some(2));
    let again = db
        .close_consultation(c.id, "Closed twice", at(21))
        .await
        .expect("close again")
        .expect("exists");
    assert!(
        again.note.is_none(),
        "a change that does not apply writes no note"
    );

    let refused = db
        .send_message(&parley_store::messages::NewMessage {
            id: MessageId::new(),
            conversation_id: conv,
            sender_id: customer,
            text: "hello?".to_owned(),
            client_id: None,
            media: Vec::new(),
            created_at: at(30),
        })
        .await;
    assert!(
        matches!(
            refused,
            Err(StoreError::Conflict(ErrorCode::ConsultationClosed))
        ),
        "{refused:?}"
    );
    assert!(matches!(
        db.add_faq_exchange(conv, customer, "q", "a", at(31)).await,
        Err(StoreError::Conflict(ErrorCode::ConsultationClosed))
    ));
    assert_eq!(
        db.conversation(conv)
            .await
            .expect("get")
            .expect("exists")
            .last_seq,
        2,
        "refused sends use up no seq"
    );

    let reopened = db
        .reopen_consultation(c.id, "Reopened by customer", at(40))
        .await
        .expect("reopen")
        .expect("exists");
    assert_eq!(
        (reopened.status, reopened.note.as_ref().map(|n| n.seq)),
        (ConsultationStatus::Waiting, Some(3))
    );
    send(&db, conv, customer, "hello again").await;
}

pub async fn agents_share_one_read_marker(backend: Backend) {
    let db = fresh_store(backend).await;
    let owner = user(&db, "owner").await;
    let customer = user(&db, "customer").await;
    let acme = org(&db, "acme", owner).await;
    let c = consult(&db, acme.id, customer, "case", 10).await;
    let conv = c.conversation_id;
    assert_eq!((c.agent_unread, c.customer_unread), (1, 0));
    send(&db, conv, customer, "more").await;
    send(&db, conv, owner, "on it").await;
    let now = db
        .consultation_by_id(c.id)
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(
        (now.agent_unread, now.customer_unread),
        (2, 1),
        "agents count the customer's messages, the customer everyone else's"
    );
    assert_eq!(
        db.mark_read_by_agents(conv, 2).await.expect("read"),
        Some(2)
    );
    assert_eq!(
        db.mark_read_by_agents(conv, 1).await.expect("back"),
        None,
        "never back"
    );
    assert_eq!(
        db.mark_read_by_agents(conv, 99)
            .await
            .expect("past the end"),
        Some(3),
        "never past the last message"
    );
    let read = db
        .consultation_by_id(c.id)
        .await
        .expect("get")
        .expect("exists");
    assert_eq!((read.agent_read_seq, read.agent_unread), (3, 0));
    assert_eq!(
        db.mark_read_by_agents(ConversationId::new(), 1)
            .await
            .expect("unknown"),
        None
    );
}

pub async fn who_takes_part_in_a_support_conversation(backend: Backend) {
    let db = fresh_store(backend).await;
    let owner = user(&db, "owner").await;
    let agent = user(&db, "agent").await;
    let customer = user(&db, "customer").await;
    let stranger = user(&db, "stranger").await;
    let rival = user(&db, "rival").await;
    let acme = org(&db, "acme", owner).await;
    org(&db, "rivals", rival).await;
    db.add_agent(acme.id, agent, AgentRole::Agent, at(0))
        .await
        .expect("add");
    let c = consult(&db, acme.id, customer, "case", 10).await;
    let conv = c.conversation_id;
    for (who, expected) in [
        (customer, true),
        (owner, true),
        (agent, true),
        (stranger, false),
        (rival, false),
    ] {
        assert_eq!(
            db.is_support_participant(conv, who)
                .await
                .expect("participant"),
            expected,
            "{who}"
        );
    }
    db.remove_agent(acme.id, agent).await.expect("remove");
    assert!(
        !db.is_support_participant(conv, agent)
            .await
            .expect("participant"),
        "a removed agent is out at once"
    );
    let (direct, _) = db
        .open_direct(owner, customer, at(20))
        .await
        .expect("direct");
    assert!(
        !db.is_support_participant(direct.id, owner)
            .await
            .expect("participant"),
        "not a support conversation"
    );
}

pub async fn deleting_an_org_removes_everything_of_it(backend: Backend) {
    let db = fresh_store(backend).await;
    let owner = user(&db, "owner").await;
    let customer = user(&db, "customer").await;
    let acme = org(&db, "acme", owner).await;
    let keep = org(&db, "keep", owner).await;
    faq(&db, acme.id, "q", "a", None).await;
    let gone = consult(&db, acme.id, customer, "gone", 10).await;
    let kept = consult(&db, keep.id, customer, "kept", 11).await;
    db.assign_consultation(gone.id, owner, "note", at(12))
        .await
        .expect("note");
    assert!(db.delete_org(acme.id).await.expect("delete"));
    assert!(!db.delete_org(acme.id).await.expect("delete again"));
    assert!(db.org_by_slug("acme").await.expect("by slug").is_none());
    assert!(db.consultation_by_id(gone.id).await.expect("get").is_none());
    assert!(
        db.conversation(gone.conversation_id)
            .await
            .expect("get")
            .is_none()
    );
    assert!(db.consultation_by_id(kept.id).await.expect("get").is_some());
    assert_eq!(db.count("SELECT COUNT(*) FROM faqs").await, 0);
    assert_eq!(db.count("SELECT COUNT(*) FROM org_agents").await, 1);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM messages").await,
        1,
        "only the kept consultation's first message"
    );
}
