# bash completion for textclf(1)                                       -*- shell-script -*-
#
# Installed as share/bash-completion/completions/textclf, where bash-completion loads it the
# first time textclf is completed; it can also be sourced directly (then, without
# bash-completion's helpers, file names are completed with plain compgen).
#
# Completes subcommands, each subcommand's options, the values of options that take one of a
# few words (--format, --color=, --data-format, --activation, --position, --vocab, --layer), and model paths
# (*.json files and directories) where a model is expected: -m/--model, `info MODEL`, the
# first operand of `test` without -m, `train -o`, both operands of `convert` and `quantize`.
#
# The option lists are static, copied from each subcommand's --help (and the man page's
# SUBCOMMANDS section), so completing never runs textclf. tests/man/run.sh fails when they
# and --help differ, in either direction, and when a value list differs from the values the
# program accepts. When you add an option, add it here and to docs/man/textclf.1.

# All options of a subcommand, short and long.
_textclf_options()
{
    case $1 in
    classify)
        echo -m --model -z --null-data -W --whole-file --strict-utf8 -j --threads -k --top \
            -a --all -t --threshold -f --format -H --with-filename -h --no-filename \
            -n --number --line-buffered --no-abstain -q --quiet --help --version ;;
    info) echo -m --model -f --format -q --quiet --help --version ;;
    tokenize)
        echo -m --model -z --null-data -W --whole-file --strict-utf8 -j --threads --ids \
            -H --with-filename -h --no-filename -n --number --line-buffered -q --quiet --help \
            --version ;;
    test)
        echo -m --model --data-format --label-prefix -k --top -t --threshold -f --format \
            --confusion --color --no-abstain -q --quiet --help --version ;;
    train)
        echo -i --input -o --output --inline --valid --valid-fraction --data-format --label-prefix \
            --vocab-size --min-count --dim --heads --head-dim --max-len --hidden --activation \
            --no-residual --epochs --batch --window --lr --warmup --weight-decay --dropout --crop --clip \
            --class-weights --multi-label --patience --seed --threads -q --quiet --log --help --version \
            --word-apostrophes --buckets --minn --maxn --pretrained-vectors --position \
            --autotune-validation --autotune-duration --autotune-trials --autotune-metric ;;
    explain)
        echo -m --model -z --null-data --strict-utf8 -k --top -f --format --color --no-abstain \
            -q --quiet --help --version ;;
    convert) echo --inline --safetensors --dtype --vocab -q --quiet --help --version ;;
    quantize) echo --vocab -q --quiet --help --version ;;
    embed)
        echo -m --model -z --null-data -W --whole-file --strict-utf8 -j --threads --layer -f \
            --format -H --with-filename -h --no-filename -n --number --line-buffered -q --quiet --help \
            --version ;;
    esac
}

# What the argument of option $2 of subcommand $1 is: "model" (a model path), "file" (any
# file), "none" (a number or free text: nothing to complete), or the list of words it may be.
# Prints nothing when the option takes no argument (or, like --color, only an attached one:
# its values are completed after "=" only).
_textclf_argument()
{
    case $1:$2 in
    *:-m | *:--model) echo model ;;
    classify:-f | classify:--format) echo tsv jsonl ;;
    info:-f | info:--format) echo tsv json ;;
    embed:-f | embed:--format) echo tsv jsonl f32 npy ;;
    embed:--layer) echo pooled hidden ;;
    classify:-[jkt] | classify:--threads | classify:--top | classify:--threshold) echo none ;;
    tokenize:-j | tokenize:--threads) echo none ;;
    test:--data-format) echo auto fasttext tsv ;;
    test:-f | test:--format | explain:-f | explain:--format) echo text json ;;
    test:--label-prefix | test:-k | test:--top | explain:-k | explain:--top) echo none ;;
    test:-t | test:--threshold) echo none ;;
    test:--color= | explain:--color=) echo auto always never ;;
    convert:--vocab | quantize:--vocab) echo inline file ;;
    convert:--dtype) echo F32 F16 I8 ;;
    train:-o | train:--output) echo model ;;
    train:-i | train:--input | train:--valid | train:--log | train:--pretrained-vectors | \
        train:--autotune-validation) echo file ;;
    train:--autotune-metric) echo accuracy f1 ;;
    train:--data-format | train:--format) echo auto fasttext tsv ;;
    train:--activation) echo relu gelu tanh ;;
    train:--position) echo learned none sinusoidal sinusoidal-halves ;;
    train:--valid-fraction | train:--label-prefix | train:--vocab-size | train:--min-count | \
        train:--dim | train:--heads | train:--head-dim | train:--max-len | train:--hidden | \
        train:--epochs | train:--batch | train:--window | train:--lr | train:--warmup | train:--weight-decay | \
        train:--dropout | train:--crop | train:--clip | train:--patience | train:--seed | \
        train:--threads | train:--autotune-duration | train:--autotune-trials) echo none ;;
    esac
}

# Adds to COMPREPLY the completions of $2 as an argument of kind $1 (see _textclf_argument).
_textclf_complete_argument()
{
    local kind=$1 cur=$2
    case $kind in
    none) ;;
    model | file)
        if declare -F _filedir >/dev/null; then
            if [[ $kind == model ]]; then _filedir json; else _filedir; fi
        else
            if [[ $kind == model ]]; then
                mapfile -t -O ${#COMPREPLY[@]} COMPREPLY < <(compgen -d -- "$cur")
                mapfile -t -O ${#COMPREPLY[@]} COMPREPLY < <(compgen -f -X '!*.json' -- "$cur")
            else
                mapfile -t -O ${#COMPREPLY[@]} COMPREPLY < <(compgen -f -- "$cur")
            fi
            compopt -o filenames 2>/dev/null
        fi ;;
    *) mapfile -t -O ${#COMPREPLY[@]} COMPREPLY < <(compgen -W "$kind" -- "$cur") ;;
    esac
}

_textclf()
{
    COMPREPLY=()
    # The words up to the cursor, with "--opt" "=" "value" (COMP_WORDBREAKS splits at "=")
    # joined again into "--opt=value".
    local -a words=()
    local i w n=0 join=0
    for ((i = 0; i <= COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        if [[ $w == = && $n -gt 1 && ${words[n - 1]} == --* && ${words[n - 1]} != *=* ]]; then
            words[n - 1]+='='
            join=1
        elif ((join)); then
            words[n - 1]+=$w
            join=0
        else
            words[n++]=$w
            join=0
        fi
    done
    local cur=${words[n - 1]}

    local sub=classify first=1
    local subcommands="classify info tokenize test train explain convert embed quantize"
    if ((n > 2)) && [[ " $subcommands " == *" ${words[1]} "* ]]; then
        sub=${words[1]}
        first=2
    fi

    # --option=value
    if [[ $cur == --*=* ]]; then
        local opt=${cur%%=*} kind
        kind=$(_textclf_argument "$sub" "$opt=")
        [[ $kind ]] || kind=$(_textclf_argument "$sub" "$opt")
        [[ $kind ]] || return 0
        _textclf_complete_argument "$kind" "${cur#*=}"
        # when "=" does not break words, the word replaced is the whole "--option=value"
        if [[ $COMP_WORDBREAKS != *=* ]]; then
            for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]=$opt=${COMPREPLY[i]}; done
        fi
        return 0
    fi

    # the operands before the cursor (options and their arguments skipped); whether -- or -m
    # came before it; whether the word before it is an option that wants an argument
    local operands=0 dashdash=0 model_given=0 kind=
    for ((i = first; i < n - 1; i++)); do
        w=${words[i]}
        if ((dashdash)); then
            ((operands++))
        elif [[ $w == -- ]]; then
            dashdash=1
        elif [[ $w == -?* ]]; then
            [[ $w == -m* || $w == --model || $w == --model=* ]] && model_given=1
            [[ $w != *=* ]] && kind=$(_textclf_argument "$sub" "$w")
            if [[ $kind ]]; then
                ((i == n - 2)) && break   # the cursor is on its argument
                ((i++))
                kind=
            fi
        else
            ((operands++))
        fi
    done
    if [[ $kind ]]; then
        _textclf_complete_argument "$kind" "$cur"
        return 0
    fi

    if ((!dashdash)) && [[ $cur == -* || $sub == train ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_textclf_options "$sub")" -- "$cur")
        return 0
    fi

    case $sub in
    info | convert | quantize) _textclf_complete_argument model "$cur" ;;
    test)
        if ((!model_given && operands == 0)); then
            _textclf_complete_argument model "$cur"
        else
            _textclf_complete_argument file "$cur"
        fi ;;
    train) ;;
    *)
        # the first word may be a subcommand as well as a FILE to classify
        if ((n == 2)); then
            mapfile -t COMPREPLY < <(compgen -W "$subcommands" -- "$cur")
        fi
        _textclf_complete_argument file "$cur" ;;
    esac
    return 0
}

complete -F _textclf textclf
