/**
 * Word lists for prompt features: stop words in the languages the feedback lexicon reads, and a small
 * concept map that folds task words of several languages (and their common paraphrases) onto one token,
 * so "summarise", "tl;dr", "Zusammenfassung" and "résume" meet without a model call.
 */

/** Function words and politeness that say nothing about which task is asked. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  [
    // English
    'a an the this that these those it its is are was were be been being am do does did done to of in on at by for with from',
    'into onto about as and or but if then than so such not no yes can could would should will shall may might must i me my',
    'mine we us our you your yours he she they them their there here what which who whom whose when where why how all any',
    'some each every both few more most other just also only very too again please pls thanks thank hi hey hello ok okay',
    'let lets let\'s me want need like help give get make go now up out over via per one two new use using some something',
    'quick quickly short small bit little same thing stuff way really actually maybe kind sort',
    // German
    'der die das den dem des ein eine einen einem einer eines und oder aber nicht kein keine ist sind war für mit von zu zum',
    'zur im in am an auf aus bei nach über unter ich du wir ihr sie es mir mich dir dich uns bitte kannst könntest mal',
    'alle noch schon auch nur diese dieser dieses diesen hier da wie was wer wo',
    // French
    'le la les un une des du de et ou mais ne pas est sont pour avec dans sur au aux ce cette ces je tu nous vous il elle',
    'ils elles me te moi toi stp svp peux pouvez merci',
    // Spanish / Portuguese / Italian
    'el un una los las unos unas del y o pero es son para con en por este esta estos estas yo tú nosotros usted puedes favor',
    'o os um uma uns umas do da dos das e mas em por para com este esta isso eu você voce pode',
    'il lo gli della delle dei di e ma è sono per con su questo questa io tu puoi',
    // Dutch
    'de het een en of maar niet is zijn voor met van op aan dit deze ik jij je wij kun kunt alsjeblieft',
    // Russian
    'и в во не на что это как с со по для от к ко из у о об мне мы вы ты он она они пожалуйста можешь',
  ]
    .join(' ')
    .split(/\s+/),
);

/**
 * Concepts: a token prefix (after lower-casing, before stemming) maps to one shared concept token.
 * Kept small and about task kinds, not topics, so unrelated requests do not collapse together.
 */
export const CONCEPT_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['commit', '@commit'],
  ['summar', '@summary'],
  ['summaris', '@summary'],
  ['tldr', '@summary'],
  ['recap', '@summary'],
  ['zusammenfass', '@summary'],
  ['résum', '@summary'],
  ['resum', '@summary'],
  ['riassun', '@summary'],
  ['samenvat', '@summary'],
  ['резюм', '@summary'],
  ['translat', '@translate'],
  ['übersetz', '@translate'],
  ['tradu', '@translate'],
  ['vertaal', '@translate'],
  ['перевед', '@translate'],
  ['перевод', '@translate'],
  ['review', '@review'],
  ['überprüf', '@review'],
  ['revis', '@review'],
  ['relis', '@review'],
  ['unittest', '@test'],
  ['test', '@test'],
  ['prueba', '@test'],
  ['spec', '@test'],
  ['docstring', '@docs'],
  ['readme', '@docs'],
  ['document', '@docs'],
  ['changelog', '@changelog'],
  ['releasenote', '@changelog'],
  ['regex', '@regex'],
  ['regexp', '@regex'],
  ['sql', '@sql'],
  ['query', '@sql'],
  ['standup', '@standup'],
  ['daily', '@standup'],
  ['email', '@email'],
  ['mail', '@email'],
  ['courriel', '@email'],
  ['письм', '@email'],
  ['explain', '@explain'],
  ['erklär', '@explain'],
  ['expliqu', '@explain'],
  ['explica', '@explain'],
  ['spiega', '@explain'],
  ['объясн', '@explain'],
  ['rename', '@rename'],
  ['umbenenn', '@rename'],
  ['renomm', '@rename'],
  ['refactor', '@refactor'],
  ['convert', '@convert'],
  ['konvertier', '@convert'],
  ['umrechn', '@convert'],
  ['conver', '@convert'],
];

/** Whole words that map to a concept (short or irregular forms a prefix would over-match). */
export const CONCEPT_WORDS: ReadonlyMap<string, string> = new Map([
  ['msg', '@message'],
  ['message', '@message'],
  ['messages', '@message'],
  ['nachricht', '@message'],
  ['mensaje', '@message'],
  ['mensagem', '@message'],
  ['messaggio', '@message'],
  ['bericht', '@message'],
  ['сообщение', '@message'],
  ['pr', '@pullrequest'],
  ['mr', '@pullrequest'],
  ['pull', '@pullrequest'],
  ['bug', '@fix'],
  ['fix', '@fix'],
  ['fixes', '@fix'],
  ['fixing', '@fix'],
  ['debug', '@fix'],
  ['beheb', '@fix'],
  ['corrige', '@fix'],
  ['arregla', '@fix'],
  ['исправь', '@fix'],
  ['tests', '@test'],
  // Test outcomes are asked about as often as tests themselves ("is the suite green?", "what fails?").
  ['passing', '@test'],
  ['passes', '@test'],
  ['green', '@test'],
  ['failing', '@test'],
  ['fails', '@test'],
  // Reviewing is asked as "look at the changes", "check my diff".
  ['look', '@review'],
  ['diff', '@review'],
  ['testes', '@test'],
  ['tl', '@summary'],
  ['dr', '@summary'],
  ['gist', '@summary'],
  ['résumé', '@summary'],
  ['résume', '@summary'],
  ['résumer', '@summary'],
  ['zusammen', '@summary'],
  ['error', '@error'],
  ['errors', '@error'],
  ['fehler', '@error'],
  ['erreur', '@error'],
  ['ошибка', '@error'],
  ['exception', '@error'],
  ['mean', '@explain'],
  ['means', '@explain'],
  ['bedeutet', '@explain'],
  ['consulta', '@sql'],
  ['abfrage', '@sql'],
]);

/**
 * Task phrases of languages written without spaces (Japanese, Chinese), replaced by an English task word before
 * tokenising: CJK text has no word boundaries for the concept maps above to find, so "コミットメッセージ" and
 * "提交信息" would otherwise never meet "commit message".
 */
export const CJK_PHRASES: ReadonlyArray<readonly [string, string]> = [
  ['コミットメッセージ', ' commit message '],
  ['コミット', ' commit '],
  ['提交信息', ' commit message '],
  ['提交消息', ' commit message '],
  ['提交', ' commit '],
  ['メッセージ', ' message '],
  ['テスト', ' tests '],
  ['测试', ' tests '],
  ['要約', ' summary '],
  ['まとめ', ' summary '],
  ['总结', ' summary '],
  ['摘要', ' summary '],
  ['翻訳', ' translate '],
  ['翻译', ' translate '],
  ['正規表現', ' regex '],
  ['正则表达式', ' regex '],
  ['エラー', ' error '],
  ['错误', ' error '],
  ['レビュー', ' review '],
  ['审查', ' review '],
];

/**
 * Units a number is given in, by the kind of quantity they measure (lower-cased, as written after a number).
 * An instance's values change every time a task recurs ("12 miles", "19 km"); the kinds of values it carries do
 * not, so a slot's kind is a feature of the request whatever language the words around it are in.
 */
export const UNIT_KINDS: ReadonlyMap<string, string> = new Map(
  (
    [
      ['length', 'mi mile miles km kms kilometer kilometers kilometre kilometres m meter meters metre metres ft foot feet yd yard yards in inch inches cm mm meile meilen fuß fuss pieds pied milles kilómetros metros pies millas'],
      ['mass', 'kg kgs kilogram kilograms kilo kilos g gram grams lb lbs pound pounds oz ounce ounces t tonne tonnes'],
      ['duration', 'ms s sec secs second seconds min mins minute minutes h hr hrs hour hours day days week weeks stunden minuten heures jours horas días'],
      ['volume', 'l liter liters litre litres ml gal gallon gallons'],
      ['data', 'b kb mb gb tb kib mib gib tib bytes'],
      ['speed', 'mph kmh km/h kph'],
      ['temperature', '°c °f'],
    ] as const
  ).flatMap(([kind, words]) => words.split(' ').map((w) => [w, kind] as const)),
);
