/**
 * Words that tell a follow-up from a new request, in the languages the feedback lexicon reads (English,
 * German, French, Spanish, Portuguese, Italian, Dutch). General vocabulary of reacting to an answer and of
 * answer-format rules; never phrases of one data set.
 */

// A reference to the answer just given, or to standing rules ("as always", "same as before", "you forgot").
const REFERENCE = [
  'it', 'that', 'this', 'those', 'these', 'again', 'redo', 'retry', 'instead', 'still', 'closer', 'almost', 'nearly',
  'better', 'worse', 'same', 'as always', 'as usual', 'as before', 'like before', 'last time', 'like always', 'every time',
  'you forgot', 'you missed', 'you left', 'you dropped', 'you put', 'you used', 'you wrote', 'you keep', 'not quite',
  'the last one', 'previous', 'your answer', 'your reply', 'the answer', 'the reply', 'the output', 'the entry',
  'the line', 'the message', 'the version', 'the result', 'the draft', 'the one', 'one more thing', 'also',
  'das', 'es', 'wieder', 'nochmal', 'noch einmal', 'immer noch', 'wie immer', 'wie üblich', 'wie gehabt', 'wie sonst',
  'fast', 'besser', 'stattdessen', 'vergessen', 'knapp',
  'ça', 'cela', 'encore', 'de nouveau', "comme d'habitude", 'comme toujours', 'comme avant', 'presque', 'mieux',
  'au lieu', 'oublié', 'toujours pas',
  'eso', 'esto', 'otra vez', 'de nuevo', 'como siempre', 'como antes', 'casi', 'mejor', 'en lugar', 'olvidaste', 'todavía',
  'isso', 'isto', 'outra vez', 'como sempre', 'quase', 'melhor', 'esqueceu', 'ainda',
  'questo', 'quello', 'di nuovo', 'come sempre', 'come prima', 'quasi', 'meglio', 'invece', 'dimenticato', 'ancora',
  'dat', 'opnieuw', 'zoals altijd', 'zoals eerder', 'bijna', 'beter', 'vergeten', 'nog steeds',
];

// Vocabulary of answer-format rules: punctuation, mood, position, casing, units, dates, shape.
const RULES = [
  'period', 'periods', 'full stop', 'dot', 'punctuation', 'parenthes[ie]s', 'parens', 'brackets?', 'tense', 'mood',
  'imperative', 'past tense', 'present tense', 'capitali[sz]e[ds]?', 'capital', 'lower-?case', 'upper-?case', 'bullets?',
  'heading', 'prefix', 'suffix', 'at the end', 'at the start', 'goes last', 'go last', 'goes first', 'first word',
  'format(?:ting|ted)?', 'convention', 'style', 'rules?', 'reference', 'json', 'units', 'metric', 'imperial',
  'dates?', 'iso', 'words', 'end', 'ends', 'last', 'number', 'start', 'begin', 'mood', 'parenthesis', 'quotes?', 'spaces?', 'wording', 'characters', 'chars', 'lines?', 'shorter', 'longer', 'trailing', 'ending', 'verb',
  'punkt', 'klammern?', 'imperativ', 'zeitform', 'formats?', 'regeln?', 'am ende', 'am anfang', 'nummer', 'einheiten',
  'datum', 'großschreibung', 'aufzählung',
  'point', 'parenthèses?', 'impératif', 'règles?', 'à la fin', 'au début', 'numéro', 'unités', 'majuscule', 'puces?',
  'punto', 'paréntesis', 'imperativo', 'formato', 'reglas?', 'al final', 'al principio', 'número', 'unidades', 'fecha',
  'mayúscula', 'viñetas?', 'ponto', 'parênteses', 'regras?', 'no final', 'unidades', 'data',
  'parentesi', 'regole', 'alla fine', 'numero', 'unità', 'haakjes', 'regels?', 'aan het eind', 'op het einde',
];

// Verbs that open a new piece of work.
const VERBS = [
  'write', 'draft', 'create', 'generate', 'make', 'add', 'implement', 'build', 'summari[sz]e', 'review', 'explain',
  'fix', 'refactor', 'translate', 'convert', 'list', 'give me', 'prepare', 'compose', 'produce', 'do', 'turn',
  'put together', 'come up with', 'need', 'show me', 'tell me', 'analy[sz]e', 'check', 'find', 'set up', 'update', 'rename',
  'schreib(?:e)?', 'erstelle', 'erstell', 'fasse', 'erkläre', 'übersetze', 'mach(?:e)?', 'formuliere',
  'écris', 'rédige', 'crée', 'résume', 'explique', 'traduis', 'fais', 'prépare',
  'escribe', 'redacta', 'crea', 'resume', 'explica', 'traduce', 'haz', 'prepara',
  'escreva', 'redija', 'crie', 'resuma', 'explique', 'faça', 'scrivi', 'crea', 'riassumi', 'spiega', 'fai', 'prepara',
  'schrijf', 'maak', 'vat', 'leg uit',
];

const alternation = (items: readonly string[]) => items.map((w) => w.replace(/ /g, '\\s+')).join('|');

/** A reference to the previous answer or to standing rules, anywhere in the turn. */
export const FOLLOW_UP_REFERENCE = new RegExp(`(?<![\\p{L}])(?:${alternation(REFERENCE)})(?![\\p{L}])`, 'iu');

/** Rule vocabulary (format, punctuation, position): a turn built of these is about the last answer's form. */
export const RULE_WORDS = new RegExp(`(?<![\\p{L}])(?:${alternation(RULES)})(?![\\p{L}])`, 'iu');

/** A task verb at the start of a turn (after politeness the caller strips). */
export const TASK_VERBS = new RegExp(`^(?:${alternation(VERBS)})(?![\\p{L}])`, 'iu');
