# bash completion for ldindex(1)
_ldindex()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-o|--output|--repack)
		COMPREPLY=($(compgen -d -- "$cur")); return ;;
	--format)
		COMPREPLY=($(compgen -W "$(ldgrep --list-formats 2>/dev/null | awk '{ print $1 }')" -- "$cur")); return ;;
	--format-file)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--block-size|--level|--shard|--tz-assume|--year|-j|--threads)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "--block-size --cids -j --threads --level --repack -o --output --stats --shard --format --format-file --tz-assume --year --help --version" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _ldindex ldindex
