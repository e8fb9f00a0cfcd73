"""Word lists for the craft and conventions detectors, written for this project.

Each list is small and chosen for precision: a word is here only when, in children's
writing, it almost always does the job the list names. All lower case.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Verbs that introduce speech ("said", "asked", ...).
SPEECH_VERBS = words(
    """
    said says say asked asks ask yelled yells shouted shouts screamed screams whispered
    whispers replied replies answered answers called calls cried cries exclaimed exclaims
    told tells mumbled mumbles muttered mutters giggled laughed sighed groaned explained
    explains added adds begged pleaded shrieked hollered roared snapped barked
    """
)

# Sense words by sense. Only words whose main meaning is the sense itself.
SENSES: dict[str, frozenset[str]] = {
    "sight": words(
        """
        bright dark shiny shining sparkly sparkling sparkled glittering glittered glowing glowed
        gleaming dazzling dim shadow shadows shadowy colorful colourful golden silver
        purple orange pink crimson scarlet turquoise glimmer glimmering twinkling twinkled
        flashed flashing faded blurry
        """
    ),
    "sound": words(
        """
        heard hear hears hearing listened listen loud quiet quietly silently noisy noise noises
        sound sounds bang banged boom boomed crash crashed crashing buzz buzzed buzzing
        roar roared roaring whistle whistled whistling squeak squeaked squeaky creak
        creaked creaky rustle rustled rustling crunch crunched crunchy splash splashed
        thump thumped thud clatter clattered ring rang ringing hum hummed humming
        chirp chirped chirping bark barked barking howl howled howling silence silent
        barks hoot hooted hooting pop popped sizzle sizzled sizzling beep beeped echo echoed thunder
        """
    ),
    "smell": words(
        """
        smell smelled smelt smells smelling sniffed sniff scent stink stinky stank
        smelly fragrant aroma perfume stench
        """
    ),
    "taste": words(
        """
        taste tasted tastes tasting tasty delicious yummy yucky sweet sour salty bitter
        spicy juicy flavor flavour sugary
        """
    ),
    "touch": words(
        """
        felt touch touched touching soft smooth rough bumpy fuzzy furry fluffy sticky
        slimy slippery prickly itchy scratchy squishy warm cold freezing icy hot wet
        damp sharp silky
        """
    ),
}

# Transition words and phrases by what they do. Phrases are matched on whole words.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "time": (
        "first",
        "first of all",
        "next",
        "then",
        "after that",
        "afterwards",
        "later",
        "finally",
        "at last",
        "meanwhile",
        "suddenly",
        "soon",
        "before",
        "after",
        "the next day",
        "in the end",
        "at first",
        "eventually",
    ),
    "cause": (
        "because",
        "so",
        "since",
        "therefore",
        "as a result",
        "that is why",
        "that's why",
        "this means",
        "due to",
    ),
    "contrast": (
        "but",
        "however",
        "although",
        "though",
        "instead",
        "on the other hand",
        "even though",
        "still",
        "yet",
    ),
    "example": ("for example", "for instance", "such as", "like when"),
    "addition": ("also", "another", "in addition", "besides", "plus", "as well", "too"),
    "conclusion": ("in conclusion", "to sum up", "all in all", "overall", "in the end"),
}
# Transitions that only count as such at the start of a sentence (elsewhere they are
# ordinary words: "I was so happy", "a dog like mine", "before lunch").
TRANSITIONS_ONLY_AT_START = frozenset(
    {"so", "since", "before", "after", "still", "yet", "soon", "first", "next", "too", "plus"}
)

# Leads and endings children reach for first. Each is matched at the start (leads) or
# the end (endings) of the text, case-insensitively, ignoring punctuation.
FORMULAIC_LEADS = (
    "one day",
    "once upon a time",
    "hi my name is",
    "hello my name is",
    "my name is",
    "hi i am",
    "i am going to tell you about",
    "i'm going to tell you about",
    "i am going to write about",
    "i'm going to write about",
    "this story is about",
    "this is a story about",
    "i am writing about",
    "i'm writing about",
    "today i am going to",
    "today i'm going to",
)
FORMULAIC_ENDINGS = (
    "the end",
    "and then i woke up",
    "then i woke up",
    "it was all a dream",
    "it was just a dream",
    "that was the best day ever",
    "it was the best day ever",
    "best day ever",
    "that is the end",
    "that's the end",
    "that is all",
    "that's all",
    "thank you for reading",
    "thanks for reading",
    "and that is my story",
    "and that's my story",
    "that was my story",
    "that is my story",
)

# Words that name a feeling or a thought: an ending that uses them reflects.
FEELING_WORDS = words(
    """
    felt feel feels feeling proud happy glad sad scared afraid nervous excited worried
    grateful thankful lonely hope hoped wish wished realized realised learned learnt
    remember remembered understand understood know knew think thought miss missed
    love loved brave calm relieved sorry
    """
)
REFLECTIVE_PHRASES = (
    "i learned",
    "i learnt",
    "i realized",
    "i realised",
    "i will never forget",
    "i'll never forget",
    "i will always remember",
    "i'll always remember",
    "now i know",
    "from now on",
    "next time",
    "i hope",
    "i wish",
    "that is why",
    "that's why",
    "this is why",
    "in conclusion",
)

# Well-chosen words: vivid verbs, precise adjectives and nouns a teacher would point at
# ("crept", "enormous"), a list written for this project. A word counts as well chosen
# only when it is in this list, so a misspelling can never be praised.
VIVID_WORDS = words(
    """
    crept creep creeping tiptoed tiptoe trudged trudging dashed darted sprinted scurried
    scurrying scampered stomped stumbled tumbled plunged clutched clutching grabbed
    gripped snatched slammed hurled tossed flung wobbled wobbly trembled trembling
    shivered shivering shuddered gasped gulped glared grinned smirked sobbed wailed
    whimpered howled muttered mumbled murmured whispered bellowed shrieked hollered
    giggled chuckled snickered sprinted soared swooped drifted drifting glided
    peered gazed squinted glimpsed stared scanned sniffed nibbled gobbled devoured
    munched slurped wandered wandering lunged pounced sprawled slumped collapsed
    squeezed squeezing shattered splintered crumbled crumpled tangled sparkled glistened
    glistening glittered glimmered shimmered shimmering flickered flickering blazed
    enormous gigantic massive immense tiny miniature delicate fragile ancient gloomy
    eerie spooky ferocious fierce furious frantic frantically anxious nervous
    exhausted drenched soaked soggy crisp crunchy fluffy gooey slimy scorching
    freezing frosty blustery drizzly murky misty dusky gleaming dazzling brilliant
    magnificent marvelous marvellous splendid majestic graceful clumsy stubborn curious
    cautious cautiously reluctantly eagerly gently fiercely swiftly silently
    desperately patiently nervously proudly determined disappointed astonished
    amazed bewildered puzzled terrified petrified horrified delighted thrilled
    relieved ashamed embarrassed jealous lonely grumpy cranky miserable
    whirled twirled swirled zoomed zigzagged dangled clattered rumbled thundered
    echoed creaked rustled crackled sizzled squelched splashed plopped thudded
    meadow canyon cavern summit horizon twilight dusk dawn blizzard drizzle
    avalanche hurricane tornado lagoon glacier harbor harbour orchard burrow
    habitat predator prey camouflage migrate migration hibernate hibernation
    evidence environment survive survival species nocturnal extinct endangered
    fascinating unbelievable incredible remarkable extraordinary mysterious
    suspicious ridiculous hilarious triumphant victorious reluctant hesitated
    hesitating pondered wondered exclaimed insisted announced complained
    argued suggested explained admitted confessed
    erupt erupted eruption eruptions predict magma
    """
)

# The most frequent English words: a sentence opening on one of these is unremarkable;
# repeated openings are judged on all words alike. Used for vocabulary range.
COMMON_WORDS = words(
    """
    a about after again all also am an and another any are around as at away back be
    because been before big but by came can come could day did do does dog don't down
    each eat every fast first for from fun get go going good got had has have he her
    here him his home house how i i'm if in into is it it's just know like little look
    made make many me mom more mother my new next no not now of off on one or our out
    over people play played put ran really run said saw school see she so some
    that the their them then there they thing things this time to too two up us very
    want was we went were what when where which who will with would yes you your
    """
)
