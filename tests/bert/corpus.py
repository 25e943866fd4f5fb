"""Test documents for the BERT tokenizer comparison (tests/bert/run_bert.py).

CORPUS is a hand-written list of varied strings; the functions below generate larger sweeps.
Every character is assigned in Unicode 14 (checked by check_assigned), no document contains NUL
(documents are NUL-separated on the command line), and U+2028/U+2029 are kept out of everything
except zl_zp_docs(): BERT's whitespace split (Python's str.split) separates words there, which is
worth its own group.
"""

import random
import unicodedata

CORPUS = [
    # --- plain English, case --------------------------------------------------------------
    "hello world",
    "i like strawberries",
    "Hello, World!",
    "HELLO WORLD",
    "hElLo WoRlD",
    "The quick brown fox jumps over the lazy dog.",
    "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG",
    "It's a beautiful day, isn't it?",
    "Don't stop believing; hold on to that feeling.",
    "She said: \"I'll be there at 5 o'clock.\"",
    "unaffable",
    "unwanted running",
    "UNwant\u00e9d,running",
    "Tokenization is the first step of most NLP pipelines.",
    "BERT stands for Bidirectional Encoder Representations from Transformers.",
    "e-mail, co-operate, re-enter, state-of-the-art",
    "The U.S.A. and the U.K. signed the treaty in 1945.",
    "Mr. Smith went to Washington D.C. on Jan. 3rd.",
    "a",
    "A",
    "I",
    "x y z",
    "  leading spaces",
    "trailing spaces   ",
    "   ",
    "",
    "\t",
    "\n\n\n",
    " \tHeLLo!how  \n Are yoU?  ",
    "H\u00e9llo",
    "ah\u535a\u63a8zz",
    "running runner ran runs",
    "playing played player plays",
    "antidisestablishmentarianism",
    "supercalifragilisticexpialidocious",
    "pneumonoultramicroscopicsilicovolcanoconiosis",
    "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch",
    "qwxzvbn asdfghjkl zxcvbnm",
    "xyzzy plugh frobnicate",
    "zzzzzzzzzzzzzzzzzzzz",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    # --- accented Latin ---------------------------------------------------------------------
    "Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e",
    "CAF\u00c9 CR\u00c8ME BR\u00dbL\u00c9E",
    "na\u00efve fa\u00e7ade r\u00e9sum\u00e9 d\u00e9j\u00e0 vu",
    "Cafe\u0301 (decomposed)",
    "e\u0301e\u0300e\u0302e\u0308",
    "\u00c5ngstr\u00f6m \u00d8resund \u00c6sir",
    "\u0141\u00f3d\u017a Krak\u00f3w Gda\u0144sk \u017b\u00f3\u0142\u0107",
    "Stra\u00dfe STRASSE \u1e9e",
    "Dvo\u0159\u00e1k \u010cesk\u00fd Krumlov",
    "Ti\u1ebfng Vi\u1ec7t c\u00f3 d\u1ea5u",
    "NGUY\u1ec4N TH\u1eca MINH KHAI",
    "Se\u00f1or Pe\u00f1a a\u00f1o ma\u00f1ana",
    "S\u00e3o Paulo, Jo\u00e3o, cora\u00e7\u00e3o",
    "\u00deorsteinn \u00f0 \u00fe \u00c6",
    "Bj\u00f6rk Gu\u00f0mundsd\u00f3ttir",
    "Fran\u00e7ois M\u00fcller-L\u00fcdenscheidt",
    "\u01c4 \u01c5 \u01c6 \u01c7 \u01c8 \u01c9 \u01ca \u01cb \u01cc",
    "\u0130\u0131 i\u0307 I\u0307",
    "\u1e9b\u0323 \u1e69 \u1e0d\u0307",
    "a\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308",
    "\u0301\u0302 combining marks first",
    "x \u0301 y",
    "\u00e5 a\u030a \u212b",
    "\u00bfQu\u00e9? \u00a1Hola!",
    "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f\u031e\u0320\u034dA\u036b\u0357\u0334\u0362\u0335\u031c\u0330\u0354L\u0368\u0367\u0369\u0358\u0320G\u0311\u0357\u030e\u0305\u035b\u0341\u0334\u033b\u0348\u034d\u0354\u0339O\u0342\u030c\u030c\u0358\u0328\u0335\u0339\u033b\u031d\u0333",
    "\u0100\u0101\u0102\u0103\u0104\u0105\u0106\u0107\u0108\u0109\u010a\u010b\u010c\u010d",
    "\u1e00\u1e01\u1e02\u1e03\u1e9e\u1ea0\u1ea1\u1ef8\u1ef9",
    "\u0218\u0219\u021a\u021b rom\u00e2ne\u0219te",
    # --- Greek, sigma -------------------------------------------------------------------------
    "\u039f\u0394\u039f\u03a3",
    "\u039f\u0394\u039f\u03a3 \u039f\u0394\u039f\u03a3",
    "\u039f\u0394\u039f\u03a3.",
    "\u039f\u0394\u039f\u03a3'\u0391",
    "\u039f\u0394\u039f\u03a3.\u0391",
    "\u03a3",
    "\u03a3\u0391",
    "\u0391\u03a3\u0391",
    "\u0391\u03a3\u0301",
    "\u0391\u03a3\u0301\u0391",
    "\u0391\u0301\u03a3",
    "\u0391:\u03a3",
    "\u0391\u03a3\u03a3",
    "\u03a3\u03a3\u03a3",
    "1\u03a3 \u0391\u03a31",
    "\u0391\u03a3\u4e00\u0391",
    "\u0391\u03a3\u00ad\u0391",
    "\u0391\u03a3\u200d",
    "\u0391\u0345\u03a3 \u0391\u03a3\u0345",
    "\u0391\u02bc\u03a3\u02bc",
    "\u039a\u0391\u039b\u0397\u039c\u0395\u03a1\u0391 \u039a\u039f\u03a3\u039c\u0395",
    "\u0395\u039b\u039b\u0391\u03a3 \u0395\u039b\u039b\u0391\u03a3!",
    "\u1f48\u0394\u03a5\u03a3\u03a3\u0395\u038e\u03a3",
    "\u1f08\u03b8\u1fc6\u03bd\u03b1\u03b9 \u1fbc \u1fcc \u1ffc",
    "\u03b1\u03b2\u03b3\u03b4\u03b5 \u03c9 \u03c2\u03c3",
    "\u0386\u0388\u0389\u038a\u038c\u038e\u038f \u0390 \u03b0",
    "\u03d0\u03d1\u03d5\u03d6\u03f0\u03f1\u03f5 \u03f4",
    # --- Turkish, Azeri, Lithuanian casing -----------------------------------------------------
    "\u0130stanbul",
    "\u0130STANBUL \u0130zmir \u0131s\u0131k",
    "D\u0130YARBAKIR",
    "\u0130\u0130\u0130",
    "I\u0131 \u0130i",
    "T\u00fcrk\u00e7e \u015fi\u015f \u011f \u00c7\u00d6\u015e\u00dc\u011e",
    "J\u0303 \u00cc \u00cd \u0128 \u012e\u0301",
    # --- ligatures, letterlike, compatibility (normalize none keeps them) ---------------------
    "\ufb01nance \ufb02ow e\ufb00ort \ufb03 \ufb04 \ufb05 \ufb06",
    "\u0132sselmeer \u0133 \u0152uvre \u0153uvre \u00c6 \u00e6",
    "\u212a \u2126 \u212b \u2122 \u2116 \u2103 \u2109",
    "\u210c\u212d\u2128 \u2102\u2115\u2119\u211a\u211d\u2124",
    "\U0001d400\U0001d401\U0001d402 \U0001d41a\U0001d41b \U0001d7d8\U0001d7d9",
    "\u2160 \u2161 \u216b \u2170 \u217b \u2183",
    "\u24b6\u24b7\u24b8 \u24d0\u24d1 \u2460\u2461\u2462",
    "\u00b2 \u00b3 \u00b9 \u2070 \u2074 \u2080 \u2081 \u1d43 \u1d47",
    "\u00bd \u00bc \u00be \u2153 \u215b",
    "\u3392 \u33a1 \u3371 \u337f \u32ff",
    # --- fullwidth / halfwidth ------------------------------------------------------------------
    "\uff21\uff22\uff23 \uff41\uff42\uff43",
    "\uff28\uff45\uff4c\uff4c\uff4f\uff0c\uff57\uff4f\uff52\uff4c\uff44\uff01",
    "\uff11\uff12\uff13\uff14\uff15 \uff04\uff05\uff06",
    "\uff08\u62ec\u5f27\uff09\uff3b\uff3d\uff5b\uff5d",
    "\uff1f\uff01\uff1a\uff1b\uff0e\uff0f\uff3c\uff5e\uff5c",
    "\uff76\uff80\uff76\uff85 \uff8a\uff9e\uff9d\uff76\uff9e\uff9e",
    "\uffe5100 \uffe0 \uffe1 \uffe6",
    "\u3000\u5168\u89d2\u3000\u30b9\u30da\u30fc\u30b9\u3000",
    # --- Chinese --------------------------------------------------------------------------------
    "\u4f60\u597d\u4e16\u754c",
    "\u6211\u7231\u5317\u4eac\u5929\u5b89\u95e8",
    "\u4e2d\u6587English\u6df7\u5408text",
    "\u7e41\u9ad4\u4e2d\u6587\uff0c\u7b80\u4f53\u4e2d\u6587\u3002",
    "\u4eca\u5929\u5929\u6c14\u5f88\u597d\uff01\u4f60\u5403\u996d\u4e86\u5417\uff1f",
    "\u300c\u5f15\u7528\u300d\u300e\u4e66\u540d\u300f\u3010\u6ce8\u3011\u300a\u4e66\u300b",
    "\U00020000\U00020001\U0002a6df \U0002a700 \U0002b740 \U0002b820 \U0002cea1",
    "\U0002f800\U0002f801\U0002fa1d",
    "\uf900\uf901\ufa0e\ufa0f\ufa11\ufad9",
    "\u3400\u3401\u4dbf\u4e00\u9fff\u9ffc",
    "\u3007\u3006\u3005 \u2f00\u2f01 \u2e80\u2e81 \u31c0",
    "\u5317\u4eac2008\u5e74\u5965\u8fd0\u4f1a",
    "\u738b\u5c0f\u660e\u7684\u7535\u5b50\u90ae\u4ef6\u662fxiaoming@example.com",
    "\U00030000\U0003134a",
    "\u4e00\u4e8c\u4e09 \u58f9\u8d30\u53c1",
    # --- Japanese -------------------------------------------------------------------------------
    "\u3053\u3093\u306b\u3061\u306f\u4e16\u754c",
    "\u30ab\u30bf\u30ab\u30ca\u3068\u3072\u3089\u304c\u306a",
    "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8\u3067\u3059\u3002",
    "\u6771\u4eac\u30bf\u30ef\u30fc\u306b\u884c\u304d\u307e\u3057\u305f\uff01",
    "\u304c\u304e\u3050\u3052\u3054 \u30d1\u30d4\u30d7\u30da\u30dd \u3094 \u30f4",
    "\u304b\u3099 \u30cf\u309a",
    "\u30e9\u30fc\u30e1\u30f3\u30fb\u30ab\u30ec\u30fc",
    "\u3041\u3043\u3045\u3047\u3049\u3063\u3083\u3085\u3087\u308e \u309d\u309e\u30fd\u30fe",
    "\u31f0\u31f1\u31ff \U0001b000\U0001b001",
    "\u4ee4\u548c\u5143\u5e74 \u32ff",
    # --- Korean -------------------------------------------------------------------------------
    "\uc548\ub155\ud558\uc138\uc694",
    "\ud55c\uad6d\uc5b4 \ud14d\uc2a4\ud2b8 \ucc98\ub9ac",
    "\uc11c\uc6b8\ud2b9\ubcc4\uc2dc \uac15\ub0a8\uad6c",
    "\u3131\u3134\u3137 \u314f\u3151 \u1100\u1161\u11a8",
    "\ud7a3 \uac00 \ubd88 \ud7b0 \ud7fb",
    "\ud55c\uae00 Hangul \ud55c\uae00!",
    # --- other scripts ---------------------------------------------------------------------
    "\u041f\u0440\u0438\u0432\u0435\u0442, \u043c\u0438\u0440!",
    "\u0401\u0416\u0418\u041a \u0451\u0436\u0438\u043a \u0419\u043e\u0433\u0443\u0440\u0442",
    "\u0423\u043a\u0440\u0430\u0457\u043d\u0430 \u0490\u0491 \u0404\u0454 \u0406\u0456",
    "\u0421\u0440\u0431\u0438\u0458\u0430 \u0409\u0459 \u040a\u045a \u0402\u0452",
    "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645",
    "\u0645\u064e\u0631\u0652\u062d\u064e\u0628\u064b\u0627",
    "\u0627\u0644\u0633\u0651\u064e\u0644\u0627\u0645\u064f \u0639\u064e\u0644\u064e\u064a\u0652\u0643\u064f\u0645\u0652\u061f",
    "\u0661\u0662\u0663 \u06f1\u06f2\u06f3 \u066a \u060c \u061b",
    "\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd",
    "\u05e9\u05b8\u05c1\u05dc\u05d5\u05b9\u05dd \u05d1\u05bc\u05b0\u05e8\u05b5\u05d0\u05e9\u05b4\u05c1\u05d9\u05ea",
    "\u05f3\u05f4 \u05be \u05c0",
    "\u0928\u092e\u0938\u094d\u0924\u0947 \u0926\u0941\u0928\u093f\u092f\u093e",
    "\u0939\u093f\u0902\u0926\u0940 \u092d\u093e\u0937\u093e\u0964 \u0967\u0968\u0969",
    "\u0995\u09cd\u09b7 \u09ac\u09be\u0982\u09b2\u09be",
    "\u0ba4\u0bae\u0bbf\u0bb4\u0bcd \u0b85\u0bae\u0bcd\u0bae\u0bbe",
    "\u0c24\u0c46\u0c32\u0c41\u0c17\u0c41 \u0c95\u0ca8\u0ccd\u0ca8\u0ca1 \u0d2e\u0d32\u0d2f\u0d3e\u0d33\u0d02",
    "\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35\u0e0a\u0e32\u0e27\u0e42\u0e25\u0e01",
    "\u0e20\u0e32\u0e29\u0e32\u0e44\u0e17\u0e22 \u0e51\u0e52\u0e53 \u0e2f \u0e5a",
    "\u0e9e\u0eb2\u0eaa\u0eb2\u0ea5\u0eb2\u0ea7 \u1797\u17b6\u179f\u17b6\u1781\u17d2\u1798\u17c2\u179a",
    "\u1019\u103c\u1014\u103a\u1019\u102c\u1018\u102c\u101e\u102c \u104b",
    "\u0f56\u0f7c\u0f51\u0f0b\u0f61\u0f72\u0f42\u0f0d",
    "\u0540\u0561\u0575\u0565\u0580\u0565\u0576 \u0531\u0532\u0533 \u0587",
    "\u10e5\u10d0\u10e0\u10d7\u10e3\u10da\u10d8 \u1c92\u1c90\u1ca0\u1ca2\u1c95\u1cba\u1cbd",
    "\u13a0\u13a1\u13a2 \uab70\uab71 \u13f8 \u13f5",
    "\U00010400\U00010401 \U00010428 \U000104b0 \U000104d8",
    "\U0001e900\U0001e901 \U0001e922 \U0001e95e",
    "\U00016e40\U00016e41 \U00016e60 \U00016e97",
    "\u1200\u1208\u121d \u1362\u1361",
    "\u0710\u0712\u0713 \u0700",
    "\u0780\u07a6\u0781\u07a6 \u1820\u1821\u1822",
    "\u16a0\u16a1\u16a2 \u16eb \u1680\u16a3",
    "\u2c00\u2c30 \u2c60\u2c61 \u2c62 \u2c6d \u2c7e",
    "\ua640\ua641 \ua680 \ua722\ua723 \ua77d \ua78d \ua7aa \ua7ae \ua7b0 \ua7c5 \ua7d0",
    "\u1e00\u1e9e\u1ea0 \u1f88\u1f80 \u1fa8 \u1fbc\u1fb3",
    "\u0531\u0580\u0561\u0574 \u0535\u0552",
    # --- punctuation --------------------------------------------------------------------------
    "!!!",
    "...",
    "?!?!",
    "a--b",
    "(((x)))",
    "\u201cquoted\u201d \u2018single\u2019 \u201elow\u201c",
    "\u00abguillemets\u00bb \u2039single\u203a",
    "em\u2014dash en\u2013dash hyphen\u2010minus\u2212",
    "wait\u2026 what\u203d",
    "#hashtag @mention $100 50% a_b_c",
    "[brackets] {braces} <tag> a/b\\c",
    "~tilde~ `backtick` ^caret |pipe| &amp;",
    "'\"'\"'\"",
    "\u2020\u2021 \u00a7 \u00b6 \u00b7 \u2022 \u203b \u2042 \u2051",
    "\u3001\u3002\u30fb\u301c\u3030\u303d",
    "\u00a1\u00bf\u00b4\u00a8\u02dc\u02c6",
    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
    "a!b\"c#d$e%f&g'h(i)j*k+l,m-n.o/p:q;r<s=t>u?v@w[x\\y]z^_`{|}~",
    "\u2e18\u2e2e \u2e3a\u2e3b \u2e52 \u2e5d",
    "\u055b\u055c\u055d\u055e \u0589 \u058a",
    "\u066d \u06d4 \u0964\u0965 \u0970 \u0df4 \u0e4f",
    "\u104a\u104b \u10fb \u1360 \u166e \u1800\u1805",
    "\ufe10\ufe11\ufe19 \ufe30 \ufe4f \ufe50\ufe52 \ufe63 \ufe68",
    "\U00010100 \U0001039f \U00012470 \U0001da87",
    "--------------------------------------------",
    "=================== ******** ++++++ ~~~~~~",
    ".,;:!? .,;:!? .,;:!?",
    "a.b.c.d.e.f.g",
    "x,y;z:w",
    "12.5%-off!!!(limited)",
    # --- symbols (not punctuation for BERT except ASCII) ------------------------------------
    "\u20ac \u00a3 \u00a5 \u20b9 \u20bf \u00a2 \u20a9 \u20bd",
    "\u00a9 \u00ae \u2122 \u00b0 \u00b1 \u00d7 \u00f7",
    "\u221a\u221e\u2248\u2260\u2264\u2265 \u2211\u220f\u222b",
    "\u2190\u2191\u2192\u2193 \u21d2\u21d4 \u27f5",
    "\u2660\u2665\u2666\u2663 \u2603 \u2605 \u2713 \u266a \u262f",
    "\u2500\u2502\u250c\u2510\u2514\u2518 \u2588\u2591",
    "\u2800\u2801\u28ff \u2318 \u2325 \u238b",
    "\u02c2\u02c3 \u02d0 \u02e5\u02e9 \u1fbd \u1fef",
    "\u00ac \u00af \u00b4 \u00b8 \u02c7",
    "E=mc\u00b2 \u2200x\u2203y",
    # --- emoji --------------------------------------------------------------------------------
    "\U0001f600",
    "\U0001f600\U0001f601\U0001f602",
    "I \u2764\ufe0f NY",
    "thumbs \U0001f44d\U0001f3fd up",
    "family \U0001f468\u200d\U0001f469\u200d\U0001f467 here",
    "flag \U0001f1fa\U0001f1f8 \U0001f1ef\U0001f1f5",
    "keycap 1\ufe0f\u20e3 #\ufe0f\u20e3",
    "\U0001f3f3\ufe0f\u200d\U0001f308 pride",
    "\U0001f9d1\u200d\U0001f4bb coder",
    "emoji\U0001f389in\U0001f389middle",
    "\U0001f4a9\U0001f4a9\U0001f4a9",
    "\u263a \u2639 \u2614 \u26a1 \u2b50",
    "\U0001fae0 \U0001faf0 \U0001f979",
    # --- control and format characters -------------------------------------------------------
    "a\x01b",
    "\x1b[31mred\x1b[0m text",
    "del\x7fete",
    "next\x85line",
    "tab\tseparated\tvalues",
    "new\nline\nseparated",
    "windows\r\nline\r\nends",
    "vertical\x0btab form\x0cfeed",
    "file\x1cgroup\x1drecord\x1eunit\x1fsep",
    "bell\x07 backspace\x08 escape\x1b",
    "zero\u200bwidth\u200bspace",
    "soft\u00adhyphen",
    "left\u200eto\u200fright",
    "word\u2060joiner",
    "\ufeffbom at start",
    "private\ue000use\uf8ff",
    "arabic\u061cmark \u202aembedding\u202c \u2066isolate\u2069",
    "zwj a\u200db zwnj a\u200cb",
    "tag \U000e0041\U000e0042 \U000e007f",
    "kaithi \U000110bd mongolian \u180e vs",
    "interlinear \ufff9a\ufffab\ufffb",
    "plane15 \U000f0000 plane16 \U00100000",
    "shorthand \U0001bca0\U0001bca3",
    "\x01\x02\x03\x04\x05\x06",
    "\x80\x81\x9f",
    "\u200b",
    "\u00ad\u00ad",
    "\ufffd",
    "repl\ufffdacement",
    "a\ufffd b \ufffd\ufffd c",
    # --- whitespace ---------------------------------------------------------------------------
    "no\u00a0break\u00a0space",
    "en\u2002em\u2003thin\u2009hair\u200asix\u2006",
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a",
    "narrow\u202fnbsp medium\u205fmath ideographic\u3000space",
    "ogham\u1680space",
    "\u3000\u3000",
    "mixed \t\n\r\u00a0\u3000 whitespace",
    "\r",
    "\r\n",
    "a\rb",
    # --- numbers ------------------------------------------------------------------------------
    "123",
    "3.14159",
    "1,000,000",
    "-42 +17",
    "1e10 6.022e23",
    "0x1F 0b1010 0o777",
    "2024-01-01 12:30:45",
    "+1 (555) 123-4567",
    "\u0663\u0664\u0665 \u0967\u0968 \u0e51\u0e52 \uff19",
    "\U0001d7d8\U0001d7e2 \U0001d7ec",
    "1st 2nd 3rd 4th 21st 100th",
    "$1,234.56 \u20ac99,99 \u00a5500",
    "99 bottles of beer",
    "3/4 cup, 1/2 tsp",
    "v1.2.3-beta+build.42",
    "\u2460\u2461\u2462 \u2776\u2777 \u24ea",
    "007 0042 000",
    "31415926535897932384626433832795028841971693993751",
    # --- URLs, paths, code -----------------------------------------------------------------
    "https://example.com/path/to/page?query=1&other=2#fragment",
    "http://www.google.com",
    "user.name+tag@example.co.uk",
    "ftp://files.example.org/pub/file.tar.gz",
    "C:\\Program Files\\App\\app.exe",
    "/usr/local/bin/python3",
    "file:///etc/passwd",
    "http://\u4f8b\u3048.jp/\u30d1\u30b9",
    "https://de.wikipedia.org/wiki/M%C3%BCnchen",
    "mailto:someone@example.com?subject=Hi",
    "def f(x): return x**2 + 1",
    "int main(void) { printf(\"hi\\n\"); return 0; }",
    "SELECT * FROM users WHERE id = 42;",
    "<html><body class=\"x\">Hi</body></html>",
    "{\"key\": [1, 2, 3], \"null\": null}",
    "camelCaseIdentifier snake_case_identifier kebab-case-identifier",
    "foo.bar.baz() && qux || !quux",
    "#include <stdio.h>",
    "@decorator\n def method(self):",
    "$HOME/.config ${VAR:-default}",
    # --- mixed scripts -------------------------------------------------------------------------
    "hello\u4e16\u754c",
    "\u6771\u4eacTokyo\u6771\u4eac",
    "\u041f\u0440\u0438\u0432\u0435\u0442123",
    "abc\u0430\u0431\u0432",
    "na\u00efve caf\u00e9 \u4e2d\u6587 \U0001f600!",
    "The word \u03bb\u03cc\u03b3\u03bf\u03c2 means word.",
    "\u0645\u0631\u062d\u0628\u0627 hello \u05e9\u05dc\u05d5\u05dd",
    "Einstein\u2019s E=mc\u00b2 (1905)",
    "\u00c0 la carte, \u00e0 la mode",
    "Pok\u00e9mon \u30dd\u30b1\u30e2\u30f3 \u5b9d\u53ef\u68a6",
    "K-pop \uc544\uc774\ub3cc BTS \ubc29\ud0c4\uc18c\ub144\ub2e8",
    "\u0906\u091c Monday \u0939\u0948",
    "mixed\u00adsoft\u200bzero\ufeffbom\u2060joiner",
    "[CLS] hello [SEP] world [MASK] [PAD] [UNK]",
    "[unused0] [unused1]",
    "##ing ##s un##want",
    "\u2581hello \u2581world",
    "hello\u3002world\uff01",
    "RT @user: check this out!!! http://t.co/xyz #cool",
    "lol :) :-( ;-) :D xD <3",
    "\u00af\\_(\u30c4)_/\u00af",
    "( \u0361\u00b0 \u035c\u0296 \u0361\u00b0)",
    "(\u256f\u00b0\u25a1\u00b0\uff09\u256f\ufe35 \u253b\u2501\u253b",
    "Tschüß, schönen Tag noch!",
    "Ça va? Oui, ça va très bien.",
    "Ærøskøbing på Ærø",
    "Ðakovo Đurđevac",
    "Yağmur yağıyor, İzmir'de.",
    "Zürich, Genève, Lugano",
]


def check_assigned(text):
    """True if every character is assigned in this Python's Unicode database (14.0 for 3.11)."""
    return all(unicodedata.category(c) != "Cn" for c in text)


def long_word_docs():
    """Words around the 100-code-point WordPiece limit, and long documents."""
    docs = []
    for n in (98, 99, 100, 101, 102, 150, 300):
        docs.append("a" * n)
        docs.append("x" + "y" * (n - 1))
        docs.append("hello " + "ab" * (n // 2) + " world")
    # length counted after lower-casing and accent stripping (uncased): 60 e + 60 U+0301 = 120
    # code points before, 60 after; cased keeps 120 -> [UNK]
    docs.append("e\u0301" * 60)
    docs.append("e\u0301" * 50)
    docs.append("\u00e9" * 100)
    docs.append("\u00e9" * 101)
    docs.append("\u0130" * 100)       # lower() gives 200 code points, NFD+strip gives 100
    docs.append("\u0130" * 101)
    docs.append("\u03a3" * 100)
    docs.append("\u00df" * 101)
    docs.append("a-" * 60)
    docs.append("un" * 50)
    docs.append("un" * 51)
    docs.append("straw" * 20)
    docs.append("straw" * 21)
    docs.append("berries" * 14 + "x")
    docs.append("\U0001f600" * 101)
    docs.append("\u4e00" * 150)
    docs.append(" ".join(["word"] * 200))
    return docs


def punctuation_run_docs():
    docs = []
    marks = "!?.,;:-()[]{}\"'`~@#$%^&*_+=|\\/<>"
    for i, m in enumerate(marks):
        docs.append(m * 3)
        docs.append("a" + m + "b" + m + m + "c")
        docs.append(m + "word" + marks[(i + 7) % len(marks)])
    return docs


def ascii_docs():
    """Every ASCII character except NUL, in and around a word."""
    return ["x%sy %s" % (chr(c), chr(c)) for c in range(1, 128)]


def assigned_codepoints():
    """Every code point assigned in Unicode 14 except NUL, surrogates, U+2028/2029 and the bulk of
    the private-use planes (a few private-use characters are kept)."""
    out = []
    for cp in range(1, 0x110000):
        if cp in (0x2028, 0x2029):
            continue
        cat = unicodedata.category(chr(cp))
        if cat in ("Cn", "Cs"):
            continue
        if cat == "Co" and cp not in (0xE000, 0xF8FF, 0xF0000, 0x10FFFD):
            continue
        out.append(cp)
    return out


def codepoint_docs():
    """One document per assigned code point: the character inside a word, alone, and doubled."""
    return ["x%sy %s %s%s" % (chr(cp), chr(cp), chr(cp), chr(cp)) for cp in assigned_codepoints()]


def vocab_docs(vocab):
    """Every vocabulary entry as a document, plus its upper-case and title-case forms."""
    docs = []
    for tok in vocab:
        docs.append(tok)
        up = tok.upper()
        if up != tok:
            docs.append(up)
        ti = tok.title()
        if ti != tok and ti != up:
            docs.append(ti)
    return [d for d in docs if "\u2028" not in d and "\u2029" not in d]


SIGMA_ALPHABET = [
    "\u03a3", "\u03a3", "\u03a3", "\u0391", "\u03b1", "\u0392", "A", "a", "1", " ", "'", ".", ":",
    "\u00b7", "\u0301", "\u0345", "\u02bc", "\u00ad", "\u200d", "!", "\u4e00", "\u0130", "\u2019",
    "\u1fbc", "\u0387", "\u05f4", "\u2024", "\ufe13", "\u00a8", "\u02b0", "\u1d2c", "\u3005",
]


def sigma_docs(n=3000, seed=20240519):
    """Random strings around capital sigma and case-ignorable / cased neighbours (final-sigma rule)."""
    rng = random.Random(seed)
    return ["".join(rng.choice(SIGMA_ALPHABET) for _ in range(rng.randint(1, 10))) for _ in range(n)]


def random_docs(vocab, n=3000, seed=1234567):
    """Random mixtures: vocabulary words in various cases, random assigned code points, marks,
    punctuation and every kind of space."""
    rng = random.Random(seed)
    cps = assigned_codepoints()
    words = [t for t in vocab if not t.startswith("[") and not t.startswith("##")]
    pieces = [t[2:] for t in vocab if t.startswith("##")]
    spaces = [" ", " ", " ", "\t", "\n", "\r", "\u00a0", "\u3000", "\u2009", "\u1680"]
    marks = ["\u0301", "\u0308", "\u0327", "\u0345", "\u064e", "\u093f", "\u094d", "\u0e31",
             "\u3099", "\u20dd", "\u20e3", "\ufe0f", "\u200d", "\u00ad", "\u200b"]
    docs = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(0, 12)):
            r = rng.random()
            if r < 0.35:
                w = rng.choice(words)
                if rng.random() < 0.5:
                    w += rng.choice(pieces)
                c = rng.random()
                w = w.upper() if c < 0.2 else w.title() if c < 0.4 else w
            elif r < 0.6:
                w = "".join(chr(rng.choice(cps)) for _ in range(rng.randint(1, 4)))
            elif r < 0.75:
                w = rng.choice(words) + rng.choice(marks) + rng.choice(pieces)
            elif r < 0.9:
                w = "".join(rng.choice("!?.,;:-'\"()$%&*+/<=>@[]^_`{|}~\u00bf\u00a1\u2014\u2026\u3002\uff01")
                            for _ in range(rng.randint(1, 3)))
            else:
                w = "".join(chr(rng.randint(0x4e00, 0x9fff)) for _ in range(rng.randint(1, 3)))
            parts.append(w)
            parts.append(rng.choice(spaces) if rng.random() < 0.8 else "")
        docs.append("".join(parts))
    return docs


def invalid_utf8_docs():
    """Byte strings that are not valid UTF-8 (BERT decodes them with errors='ignore'; textclf
    replaces each maximal ill-formed subsequence with U+FFFD, which the bert cleaner removes)."""
    return [
        b"caf\xe9",
        b"hello \xff world",
        b"\xc3\x28abc",
        b"\xe2\x82 euro",
        b"\xf0\x9f\x98 partial emoji",
        b"\xed\xa0\x80 surrogate",
        b"\xc0\xaf overlong",
        b"\xf4\x90\x80\x80 too big",
        b"ok \xe4\xb8\xad\xe6\x96 mixed \xe6\x96\x87",
        b"\x80\x80\x80",
        b"a\xffb\xfec",
        b"Stra\xdfe",
    ]


def zl_zp_docs():
    """U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR: not BERT whitespace in the cleaning
    step, but Python's str.split() (BERT's whitespace_tokenize) splits on them."""
    return [
        "line\u2028separator",
        "paragraph\u2029separator",
        "hello\u2028world",
        "\u2028",
        "a \u2029 b",
        "the\u2028cat\u2029sat",
    ]


def truncation_docs():
    """Documents longer than max_len (512) tokens; compared after truncation."""
    return [
        " ".join(["hello"] * 600),
        " ".join("w%d" % i for i in range(400)),
        "\u4e00" * 700,
        "!" * 513,
        "a " * 511 + "b c d",
        "x " * 512,
    ]
