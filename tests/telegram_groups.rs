//! End-to-end: in groups and supergroups the bot speaks only when addressed, threaded to
//! the asker's message.

mod support;

use support::fake_api::parse_html;
use support::{BOT_USERNAME, bot, engine, updates};

#[test]
fn in_groups_the_bot_answers_only_when_addressed_and_threads_its_replies() {
    let engine = engine();
    let question = "Qui a officiellement inauguré le BAMEX'25 ?";
    let answer = engine.ask(question).body;
    let (fake, _bot) = bot("groups");
    // A supergroup (a channel's discussion group is one) and a basic group.
    for chat in [-1_001_234_567_890_i64, -4_001] {
        let user = 11;
        let ignored = [
            updates::text(fake.next_message_id(), chat, user, question),
            updates::text(
                fake.next_message_id(),
                chat,
                user,
                &format!("/ask@other_bot {question}"),
            ),
            updates::text(fake.next_message_id(), chat, user, "/roll"),
            updates::text(
                fake.next_message_id(),
                chat,
                user,
                "@someone_else Quand a lieu le Bamex ?",
            ),
            updates::sticker(fake.next_message_id(), chat, user),
        ];
        for update in ignored {
            fake.push(update);
        }
        let mention = fake.next_message_id();
        fake.push(updates::mention(mention, chat, user, question));
        let ask = fake.next_message_id();
        fake.push(updates::text(
            ask,
            chat,
            user,
            &format!("/ask@{BOT_USERNAME} {question}"),
        ));
        let reply = fake.next_message_id();
        fake.push(updates::reply_to_bot(reply, chat, user, question, 1));

        // Same chat, handled in order: once the last one is answered, all were seen.
        let delivered = fake.wait_for_messages(chat, 3);
        let threaded: Vec<Option<i64>> = delivered.iter().map(|call| call.reply_to()).collect();
        assert_eq!(
            threaded,
            vec![Some(mention), Some(ask), Some(reply)],
            "chat {chat}"
        );
        for call in &delivered {
            let text = parse_html(call.text()).expect("valid HTML");
            assert!(text.contains(&answer), "chat {chat}: {text}");
        }
    }
}
