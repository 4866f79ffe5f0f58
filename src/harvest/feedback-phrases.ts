/**
 * The multilingual phrase lists behind `classifyFeedback` (src/harvest/feedback-lexicon.ts): English, German,
 * French, Spanish, Portuguese, Italian, Dutch, Russian, Japanese, Chinese. Entries are regex sources matched
 * against lower-cased text with single spaces and straight apostrophes. Latin and Cyrillic entries get
 * letter boundaries; entries that start with a CJK character match as substrings (no spaces to bound by).
 */

/** Phrase lists for one feedback kind. */
export interface PhraseSet {
  /** Must open the message (after fillers such as "hmm," or "ok,"). */
  readonly start: readonly string[];
  /** May appear anywhere in the first few hundred characters. */
  readonly anywhere: readonly string[];
}

// "no" opens a correction when followed by punctuation, the end, or a word that continues an objection.
const NO_FOLLOWERS =
  "no|that|that's|thats|it|it's|its|this|you|i|not|wait|the|we|use|don't|dont|please|actually|stop|just|keep|make|" +
  'put|wrong|instead|remove|add|es|está|esta|eso|así|funciona|lo|hagas|era|quiero|è|non|hai|ho|così';
const ENDS_CLAUSE = '(?=\\s*(?:[,.!;:…?]|$))';

/** Strong corrections: any one of these marks the previous answer as wrong, even next to praise. */
export const CORRECTION: PhraseSet = {
  start: [
    // English
    `no+${ENDS_CLAUSE}`, `no(?= (?:${NO_FOLLOWERS})(?![\\p{L}']))`, 'nope', 'nah', 'wrong', 'incorrect',
    "don'?t(?! worry| be sorry| mind)", 'do not(?! worry)', 'never', 'not (?:quite|like that|that|this|really|exactly)',
    "that'?s not", 'undo', 'revert', 'why (?:did|would) you', 'try again', 'stop(?= \\p{L}|[,!] ?\\p{L})',
    // German
    `nein${ENDS_CLAUSE}`, 'nein(?= (?:das|so|du|ich|nicht|bitte|es)(?!\\p{L}))', 'nö', 'falsch', 'nicht so', 'bitte nicht',
    'mach (?:das )?nicht', 'hör auf (?:zu|mit)',
    // French
    `non${ENDS_CLAUSE}`, "non(?= (?:c'est|ce|pas|tu|je|ça|il)(?!\\p{L}))", 'faux',
    "ne (?:fais|mets|touche|change|modifie|supprime|ajoute|utilise|écris) pas", "n'\\p{L}+ pas", 'pas comme ça',
    'arrête de',
    // Spanish
    'no (?:hagas|uses|pongas|añadas|agregues|cambies|toques|borres|elimines)', 'para de', 'deja de',
    // Portuguese
    `n[ãa]o${ENDS_CLAUSE}`, 'n[ãa]o(?= (?:é|está|era|funciona|faça|quero|isso)(?!\\p{L}))', 'errado',
    'n[ãa]o (?:faça|use|coloque|adicione|mude|mexa|apague|remova)', 'pare de',
    // Italian
    'sbagliato', 'non (?:fare|usare|mettere|aggiungere|cambiare|toccare|cancellare)', 'smettila di',
    // Dutch
    `nee${ENDS_CLAUSE}`, 'nee(?= (?:dat|het|zo|niet|je|ik)(?!\\p{L}))', 'fout', 'niet (?:zo|doen|dat)',
    'doe (?:dat )?niet', 'stop met',
    // Russian
    `нет${ENDS_CLAUSE}`, 'нет(?= (?:это|так|не|ты|я|надо)(?!\\p{L}))', 'не так', 'не надо', 'не делай',
    'не (?:используй|добавляй|меняй|трогай|удаляй|пиши)', 'неверно', 'неправильно', 'перестань',
    // Japanese, Chinese
    'いいえ', 'いや(?=[、。,!！\\s]|$)', '别', '不要',
  ],
  anywhere: [
    // English
    "(?:that|this|it)(?:'?s| is| was) (?:wrong|incorrect|not right|not correct|not what i|not it|broken)",
    "not what i (?:asked|wanted|meant|said|need)", 'wrong (?:file|answer|function|command|branch|directory|folder|place|approach|format|language|output|one)',
    "you (?:forgot|missed|ignored|broke|misunderstood|didn'?t|did not|still haven'?t|haven'?t|skipped|removed|deleted|left out)",
    "i (?:said|told you|already said|meant|asked (?:you )?(?:to|for))", "(?:undo|revert) (?:that|this|it|those|these|the|your|what)",
    'roll (?:that|it|this) back', "(?:still|is still|it'?s still|are still) (?:broken|failing|wrong|not working|the same|there|fails)",
    "(?:doesn'?t|does not|didn'?t|did not|won'?t|isn'?t|is not|still not|not) work(?:ing|s)?", "(?:didn'?t|did not|never) ask",
    "please don'?t", 'please (?:revert|undo|roll (?:it |that )?back)', '(?<!(?:exactly|just) what )i (?:expected|wanted|asked for)', 'stop (?:doing|adding|using|changing|writing|making|touching)', 'that broke', 'broke (?:the|it|everything)',
    '(?:tests?|build|it|compilation|ci) (?:still )?(?:fails|failed|failing|breaks|crashes|errors out)',
    // German
    '(?:das|es) (?:ist|war) (?:falsch|nicht richtig|nicht korrekt)', 'stimmt nicht', 'nicht (?:das|was) ich (?:wollte|meinte|gefragt|gesagt)',
    'du hast (?:\\p{L}+ ){0,4}vergessen', '(?:mach|mache) (?:das|es) rückgängig', 'rückgängig', 'ich (?:sagte|hab(?:e)? (?:doch )?gesagt)',
    '(?:funktioniert|geht|klappt) (?:immer noch |noch |leider )?nicht', 'immer noch (?:kaputt|falsch|fehlerhaft)', 'falsche (?:datei|antwort|funktion)',
    // French
    "c'est (?:faux|incorrect|pas (?:ça|bon|correct|juste|ce que))", "ce n'est pas (?:ça|bon|correct|juste|ce que)",
    "pas ce que (?:j'ai demandé|je voulais|je demandais)", '(?:tu as|vous avez|t\'as) oublié', 'annule(?:r|z)? (?:ça|cela|ce|le|la|les|tes|tout)',
    "j'ai dit", "je t'ai dit", '(?:ça |cela )?(?:ne )?(?:marche|fonctionne) (?:toujours |encore )?pas', '(?:toujours|encore) cassé', 'mauvais fichier',
    // Spanish
    '(?:eso |esto )?(?:está|es) (?:mal|incorrecto)', 'incorrecto', 'no es lo que (?:pedí|te pedí|quería|quiero|dije)', '(?:te )?olvidaste',
    'se te olvidó', 'deshaz(?:lo)?', 'deshacer', 'revierte', '(?:ya )?te dije', 'dije que', '(?:todavía |aún )?no funciona',
    'sigue (?:sin funcionar|roto|fallando|mal)', 'archivo equivocado',
    // Portuguese
    '(?:está|tá|esta) errado', 'n[ãa]o (?:é|era) (?:isso|o que eu (?:pedi|queria))', 'esqueceu', 'esqueceste', 'desfa(?:z|ça|zer)',
    'reverte', 'eu (?:disse|falei)', '(?:ainda )?n[ãa]o funciona', 'continua (?:quebrado|errado|sem funcionar|falhando)',
    // Italian
    "(?:è|e') sbagliato", "non è (?:quello che|ciò che) (?:ho chiesto|volevo|intendevo)", '(?:hai|ti sei) dimenticat[oa]',
    'annulla(?:re)?', 'ripristina', 'ho detto', "te l'ho detto", '(?:ancora )?non funziona', 'continua a non funzionare', 'file sbagliato',
    // Dutch
    'dat is (?:fout|verkeerd|niet goed|niet juist|niet wat)', 'verkeerd', 'niet wat ik (?:vroeg|bedoelde|wilde)',
    '(?:je bent|je hebt) (?:\\p{L}+ ){0,4}vergeten', 'maak (?:dat|het) ongedaan', 'ongedaan maken', 'draai (?:dat|het) terug',
    'ik zei', 'ik heb (?:toch )?gezegd', 'werkt (?:nog steeds |nog )?niet', 'nog steeds (?:kapot|fout)',
    // Russian
    'не то,? что я (?:просил|просила|хотел|хотела|имел в виду)', 'ты (?:забыл|забыла|пропустил|пропустила|сломал|сломала)',
'отмени(?:ть)?', 'верни (?:как было|обратно)', 'откати', 'я (?:же )?(?:сказал|сказала|говорил|говорила|просил|просила)',
    '(?:всё |все |до сих пор |по-прежнему )?не работает', '(?:всё ещё|все еще|по-прежнему) (?:сломано|падает)', 'не тот файл',
    // Japanese
    '違う', '違います', 'ちがう', '間違って', 'そうじゃない', 'そうではなく', '頼んだのと違う', '忘れて(?:る|いる|います|た)',
    '元に戻して', '取り消して', '言ったのに', '言ったでしょ', '動かない', '動きません', 'まだエラー', 'しないで', 'やめて',
    // Chinese (simplified and traditional)
    '不对', '不對', '错了', '錯了', '不是这样', '不是這樣', '不是我要的', '不是我想要的', '我说的是', '我说过', '我說過', '你忘了',
    '你忘记了', '漏了', '撤销', '撤銷', '撤回', '恢复原样', '改回去', '还是不行', '還是不行', '还是报错', '不行', '不能用', '没用', '跑不起来',
  ],
};

/** Weak corrections: a redirect ("actually, ...") that praise in the same message outweighs. */
export const WEAK_CORRECTION: PhraseSet = {
  start: [
    'actually', 'instead', 'no need to', 'eigentlich', 'stattdessen', 'en fait', 'plutôt', 'en realidad', 'na verdade',
    'in realtà', 'in plaats daarvan', 'вообще-то', 'на самом деле', '实际上', '其实', '实は',
  ],
  anywhere: [],
};

/** Praise: the previous answer was right. */
export const PRAISE: PhraseSet = {
  start: [
    `(?:great|nice|cool|good|exactly|sweet|ty|cheers|wonderful|fantastic|yay|neat|bingo|beautiful|excellent|superb|yes!+)${ENDS_CLAUSE}`,
    `(?:gut|bien|bene|goed|хорошо|super|klasse|passt|prima|класс|top)${ENDS_CLAUSE}`,
    'ok(?:ay)? (?:great|good|perfect|cool|thanks)',
  ],
  anywhere: [
    // English
    'thanks', 'thank (?:you|u)', 'thx', 'tysm', 'lgtm', 'looks (?:good|great|perfect|right)', 'perfect(?:ly)?', 'great (?:job|work|stuff)',
    'good (?:job|work|stuff)', 'nice (?:job|work|one)', 'well done', 'awesome', 'excellent', 'brilliant', 'amazing', 'nailed it',
    'love it', 'ship it', '(?:that|it|this) works', 'works (?:now|great|perfectly|like a charm)', 'exactly what i (?:wanted|needed|meant)',
    "that (?:did|fixed) it", "that'?s (?:it|exactly it|perfect|great|right)", 'much better', 'spot on', 'not bad', 'good catch',
    // German
    'danke(?:schön| schön| sehr)?', 'vielen dank', 'perfekt', 'toll', 'sehr gut', 'gut gemacht',
    '(?:funktioniert|klappt) (?:jetzt|super|perfekt)', 'genau so',
    // French
    'merci', 'parfait', 'génial', 'très bien', '(?:ça|cela) (?:marche|fonctionne)(?! pas)', 'nickel', 'impeccable', 'bravo',
    // Spanish
    'gracias', 'perfecto', 'genial', 'excelente', 'muy bien', 'funciona (?:perfecto|bien|de maravilla)', 'ya funciona', 'buen trabajo',
    // Portuguese
    'obrigad[oa]', 'valeu', 'perfeito', 'ótimo', 'muito bem', 'funcionou', 'mandou bem', 'bom trabalho',
    // Italian
    'grazie', 'perfetto', 'ottimo', 'fantastico', 'benissimo', 'molto bene', 'ora funziona', 'funziona (?:bene|perfettamente)',
    // Dutch
    'dank (?:je|u)(?: wel)?', 'dankjewel', 'bedankt', 'geweldig', 'uitstekend', 'heel goed', 'goed gedaan', '(?:het )?werkt (?:nu|perfect)',
    // Russian
    'спасибо', 'благодарю', 'отлично', 'идеально', 'супер', 'прекрасно', 'молодец', 'то,? что нужно', 'заработало',
    // Japanese
    'ありがとう', '完璧', '素晴らしい', 'いいね', '最高', '助かりました', '助かる', 'うまくいった', 'うまくいきました', '動いた',
    '動きました', 'バッチリ', 'ばっちり', 'さすが',
    // Chinese
    '谢谢', '謝謝', '多谢', '感谢', '完美', '太好了', '很好', '好极了', '不错', '可以了', '成功了', '搞定', '厉害', '正是我想要的',
    // Emoji
    '👍', '🙏', '🎉', '🙌', '💯',
  ],
};

/** Whole-message interrupts: the person stopped the agent. */
export const INTERRUPT_WORDS: readonly string[] = [
  'stop', 'stop it', 'stop now', 'halt', 'abort', 'cancel', 'cancel that', 'wait', 'hold on', 'hold up', 'pause', 'never ?mind',
  'stopp', 'abbrechen', 'hör auf', 'arrête', 'arrêtez', 'stoppe', 'para', 'detente', 'alto', 'basta', 'pare', 'parar', 'chega',
  'fermati', 'ferma', 'hou op', 'stoppen', 'ophouden', 'стоп', 'хватит', 'остановись', 'прекрати', 'стой', '止めて', 'やめて',
  'ストップ', '中断', '止まって', '待って', '停', '停止', '停下', '别做了', '取消', '等一下',
];
