# bash completion for ldtimeline(1)
_ldtimeline()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-o|--output)
		COMPREPLY=($(compgen -W "records timesketch timesketch-csv dynamic l2tcsv text" -- "$cur")); return ;;
	--histogram)
		COMPREPLY=($(compgen -W "hour day" -- "$cur")); return ;;
	--split)
		COMPREPLY=($(compgen -W "event format source none" -- "$cur")); return ;;
	--color)
		COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
	--tz)
		COMPREPLY=($(compgen -W "UTC +00:00" -- "$cur")); return ;;
	-T|--tmpdir)
		COMPREPLY=($(compgen -d -- "$cur")); return ;;
	--svg|--format-file)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	-m|--memory|--slice|--slice-size|--format|--year|--tz-assume)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "--color --format --format-file --histogram --keep-duplicates -m --memory --merge -o --output --slice --slice-size --split --stats --svg --text -T --tmpdir --tz --tz-assume --year --help --version" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _ldtimeline ldtimeline
