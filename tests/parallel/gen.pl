#!/usr/bin/perl
# Deterministic test input for tests/parallel/run.sh (the same bytes on every machine: a fixed
# linear congruential generator, no perl rand()).
#
#   gen.pl lines N      N lines on stdout: sentences in 22 languages, mixed-language lines, empty
#                       and blank lines, CRLF ends, invalid UTF-8, a byte-order mark, a NUL or a
#                       lone CR inside a line, long lines (a few over 100 kB); the last line has
#                       no newline
#   gen.pl nul N        N NUL-terminated records of 1-4 lines each (newlines and CRLF inside),
#                       some empty or with invalid UTF-8; the last record has no terminator
#   gen.pl files DIR N  N files in DIR (one document each; names with spaces, a tab, non-ASCII),
#                       one of them empty
use strict;
use warnings;

my $seed = 20240607;
sub rnd {    # an integer in [0, $_[0])
    $seed = ($seed * 1103515245 + 12345) % 2147483648;
    return int(($seed >> 8) * $_[0] / 8388608);
}

# Words per language (bytes, UTF-8); the CJK pools are joined without spaces.
my %pool = (
    en => 'the cat is asleep on sofa we read books every evening weather today cold and rainy train leaves at nine please close door',
    fr => 'le chat dort sur canapé nous lisons des livres chaque soir il fait froid aujourd\'hui train part à neuf heures fermez la porte',
    de => 'die Katze schläft auf dem Sofa wir lesen jeden Abend Bücher heute ist es kalt der Zug fährt um neun Uhr bitte Tür schließen',
    es => 'el gato duerme en sofá leemos libros cada noche hoy hace frío tren sale a las nueve por favor cierra la puerta',
    it => 'il gatto dorme sul divano leggiamo libri ogni sera oggi fa freddo treno parte alle nove per favore chiudi porta',
    pt => 'o gato dorme no sofá lemos livros todas as noites hoje está frio trem sai às nove por favor feche porta',
    nl => 'de kat slaapt op bank wij lezen elke avond boeken vandaag is het koud trein vertrekt om negen uur doe deur dicht',
    sv => 'katten sover på soffan vi läser böcker varje kväll idag är det kallt tåget går klockan nio stäng dörren',
    da => 'katten sover på sofaen vi læser bøger hver aften det er koldt i dag toget kører klokken ni luk døren',
    fi => 'kissa nukkuu sohvalla luemme kirjoja joka ilta tänään on kylmä juna lähtee yhdeksältä sulje ovi',
    pl => 'kot śpi na kanapie czytamy książki każdego wieczoru dzisiaj jest zimno pociąg odjeżdża o dziewiątej zamknij drzwi',
    cs => 'kočka spí na gauči každý večer čteme knihy dnes je zima vlak odjíždí v devět zavřete dveře',
    hu => 'a macska alszik kanapén minden este könyveket olvasunk ma hideg van vonat kilenckor indul csukd be az ajtót',
    ro => 'pisica doarme pe canapea citim cărți în fiecare seară astăzi este frig trenul pleacă la nouă închide ușa',
    tr => 'kedi kanepede uyuyor her akşam kitap okuruz bugün hava soğuk tren dokuzda kalkıyor lütfen kapıyı kapat',
    vi => 'con mèo đang ngủ trên ghế sofa chúng tôi đọc sách mỗi tối hôm nay trời lạnh tàu chạy lúc chín giờ',
    el => 'η γάτα κοιμάται στον καναπέ διαβάζουμε βιβλία κάθε βράδυ σήμερα κάνει κρύο το τρένο φεύγει στις εννέα',
    ru => 'кошка спит на диване мы читаем книги каждый вечер сегодня холодно поезд уходит в девять закройте дверь',
    uk => 'кішка спить на дивані ми читаємо книжки щовечора сьогодні холодно потяг відходить о дев\'ятій зачиніть двері',
    ja => '猫 は ソファ で 寝て います 毎晩 本 を 読みます 今日 は 寒い です 電車 は 九時 に 出ます',
    zh => '猫 在 沙发 上 睡觉 我们 每天 晚上 看书 今天 很 冷 火车 九点 出发 请 关门',
    ko => '고양이가 소파에서 자고 있어요 우리는 매일 저녁 책을 읽어요 오늘은 추워요 기차는 아홉 시에 떠나요',
);
my @langs = sort keys %pool;
my %words = map { $_ => [split / /, $pool{$_}] } @langs;
my %cjk = (ja => 1, zh => 1);

sub sentence {    # LANG NWORDS
    my ($lang, $n) = @_;
    my $w = $words{$lang};
    my @out = map { $w->[rnd(scalar @$w)] } 1 .. $n;
    return join($cjk{$lang} ? '' : ' ', @out);
}

my @bad = ("\xff", "\xc3(", "\xe2\x82", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf", "\x80\x80");

sub document {    # one line of text, no newline: the kind picked at random
    my $k = rnd(1000);
    my $lang = $langs[rnd(scalar @langs)];
    return '' if $k < 40;                                     # empty
    return (' ' x (1 + rnd(5))) . ("\t" x rnd(2)) if $k < 50; # blank
    my $s = sentence($lang, 1 + rnd(rnd(4) ? 12 : 40));
    if ($k < 75) {                                            # invalid UTF-8 somewhere
        my $at = rnd(length($s) + 1);
        substr($s, $at, 0) = $bad[rnd(scalar @bad)];
    } elsif ($k < 80) {                                       # a byte-order mark first
        $s = "\xef\xbb\xbf$s";
    } elsif ($k < 85) {                                       # a NUL or a lone CR inside
        $s = sentence($lang, 3) . (rnd(2) ? "\0" : "\r") . $s;
    } elsif ($k < 130) {                                      # two languages
        $s .= ' ' . sentence($langs[rnd(scalar @langs)], 1 + rnd(10));
    } elsif ($k < 135) {                                      # long: 1-20 kB, past max_len
        $s .= ' ' . sentence($lang, 8) while length($s) < 1000 + rnd(20000);
    } elsif ($k < 136 && rnd(20) == 0) {                      # very long: over 100 kB
        $s .= ' ' . sentence($lang, 8) while length($s) < 120000 + rnd(200000);
    } elsif ($k < 150) {                                      # punctuation, digits, tabs
        $s = rnd(100) . "\t$s! (" . rnd(10000) . ") ...";
    }
    return $s;
}

my $mode = shift // '';
if ($mode eq 'lines') {
    my $n = shift;
    binmode STDOUT;
    for my $i (1 .. $n) {
        my $end = rnd(10) == 0 ? "\r\n" : "\n";
        $end = '' if $i == $n;
        print document(), $end;
    }
} elsif ($mode eq 'nul') {
    my $n = shift;
    binmode STDOUT;
    for my $i (1 .. $n) {
        my @l = map { document() } 1 .. 1 + rnd(4);
        my $r = join(rnd(8) ? "\n" : "\r\n", @l);
        $r =~ tr/\0/ /;                  # a NUL would end the record
        $r .= "\n" if rnd(5) == 0;    # a record may end with a newline before its NUL
        print $r, $i == $n ? '' : "\0";
    }
} elsif ($mode eq 'files') {
    my ($dir, $n) = (shift, shift);
    for my $i (1 .. $n) {
        my $name = sprintf('doc %04d.txt', $i);
        $name = "tab\there $i.txt" if $i % 97 == 0;
        $name = "ñame $i.txt" if $i % 89 == 0;
        open(my $f, '>:raw', "$dir/$name") or die "$dir/$name: $!";
        print $f join(rnd(4) ? "\n" : "\r\n", map { document() } 1 .. rnd(30)) if $i % 50;
        close $f;
    }
} else {
    die "usage: gen.pl lines N | nul N | files DIR N\n";
}
