/**
 * Words and the lexeme PostgreSQL 15 gives each (`word:lexeme`), from
 * `to_tsvector('english', word)` on a real server: words from English prose plus the Porter2
 * exceptions. An empty lexeme is a stop word.
 */
export const englishStems = `
aaaavlpvfh:aaaavlpvfh aba:aba abeai:abeai abilities:abil absent:absent absolutely:absolut
abstraction:abstract accept:accept acceptance:accept accepts:accept accessed:access
accessing:access accidentally:accident according:accord account:account accumulate:accumul
achieve:achiev aci:aci acquire:acquir acquired:acquir across:across actioncommand:actioncommand
active:activ actual:actual adapter:adapt addargument:addargu added:ad addhelpoption:addhelpopt
adding:ad additional:addit additions:addit address:address addtag:addtag adopt:adopt
adopter:adopt advantage:advantag aen:aen affected:affect aforementioned:aforement
afterward:afterward agebuckets:agebucket aggregate:aggreg aggregation:aggreg agreed:agre
agreement:agreement aid:aid aiming:aim aissue:aissu alert:alert algorithms:algorithm
aliases:alias align:align allocate:alloc allowed:allow allows:allow almost:almost along:along
already:alreadi alsoignored:alsoignor alternative:altern alternatives:altern always:alway
amazon:amazon ambient:ambient among:among amount:amount amqp:amqp analogies:analog
analyze:analyz analyzing:analyz andes:andes andreacoiutti:andreacoiutti announce:announc
anotherchild:anotherchild ansi:ansi anything:anyth aopen:aopen apbolgodlsnepf:apbolgodlsnepf
apidoc:apidoc apikeyauth:apikeyauth apology:apolog apool:apool appcontroller:appcontrol
appears:appear appended:append appendix:appendix apple:appl applications:applic applies:appli
applying:appli approach:approach approval:approv approximation:approxim arbitrary:arbitrari
architect:architect archive:archiv argparser:argpars argument:argument argv:argv arising:aris
around:around arrays:array arrow:arrow arsenal:arsenal article:articl artifacts:artifact asc:asc
asobject:asobject aspx:aspx assert:assert asset:asset assign:assign assist:assist
associated:associ assumed:assum assuming:assum astar:astar asts:ast asynchronous:asynchron
atest:atest atlas:atlas atomics:atom attached:attach attacker:attack attempted:attempt
attempts:attempt augmentation:augment aupdated:aupdat auth:auth authenticated:authent
authmethods:authmethod authorization:author auto:auto autodestroy:autodestroy automated:autom
automatically:automat autotelic:autotel available:avail avengers:aveng averaged:averag
avoiding:avoid await:await awaiting:await aware:awar awesome:awesom awv:awv awzmok:awzmok
axiomhq:axiomhq ayzagen:ayzagen azure:azur babel:babel backend:backend backoff:backoff
backpressuring:backpressur backwards:backward badge:badg balance:balanc balances:balanc
banner:banner bar:bar base:base bash:bash batch:batch battle:battl bbase:bbase bchq:bchq
bcpwmq:bcpwmq bearer:bearer become:becom becoming:becom beforeexit:beforeexit behance:behanc
behavior:behavior behaviours:behaviour belong:belong benchbolechild:benchbolechild
benchcore:benchcor benchmarkjs:benchmarkj benchpinochild:benchpinochild
benchsonicsync:benchsonicsync benefit:benefit benefits:benefit beta:beta betterstack:betterstack
bhs:bhs bias:bias big:big bigint:bigint bignumber:bignumb binary:binari binding:bind
bintree:bintre bit:bit bkf:bkf black:black bloat:bloat block:block blog:blog blomberg:blomberg
bluesky:blueski bob:bob bonus:bonus booleanvalue:booleanvalu boot:boot botflux:botflux
bottleneck:bottleneck bound:bound bounty:bounti boxed:box boys:boy bracket:bracket branch:branch
brandur:brandur break:break breaks:break brian:brian briancarlson:briancarlson bring:bring
broader:broader browne:brown browserify:browserifi bsaki:bsaki btest:btest bucket:bucket
buffer:buffer buffering:buffer bug:bug bugfixes:bugfix buh:buh build:build building:build
buildtransform:buildtransform builtin:builtin bulk:bulk bun:bun bundled:bundl bundlers:bundler
bundling:bundl bursts:burst business:busi bvtvyspb:bvtvyspb bwvadq:bwvadq
bxaaaaaaadx:bxaaaaaaadx bybvjebvujvagj:bybvjebvujvagj bye:bye bytes:byte
caaaaasuvork:caaaaasuvork calculate:calcul call:call callcount:callcount caller:caller
calls:call came:came camelcase:camelcas cancel:cancel canceling:cancel canning:canning
capabilities:capabl capture:captur careful:care carry:carri cased:case cast:cast cat:cat
catch:catch cause:caus causes:caus caution:caution caveats:caveat cdnjs:cdnjs
cebhnndpad:cebhnndpad cells:cell censoring:censor center:center certain:certain
certificates:certif challenge:challeng chance:chanc changed:chang changes:chang channels:channel
character:charact charge:charg chat:chat chcp:chcp checked:check checks:check
cheesestr:cheesestr children:children choose:choos chrome:chrome circle:circl
circularvalue:circularvalu cjs:cjs claims:claim clashes:clash classes:class claude:claud
cleanest:cleanest clear:clear clements:clement clf:clf client:client clientcount:clientcount
clients:client cloned:clone cloning:clone closed:close closing:close cloudflare:cloudflar
cls:cls clustered:cluster cmd:cmd cmrmpsjodhrwoi:cmrmpsjodhrwoi codebase:codebas
codeofconduct:codeofconduct coerce:coerc coercion:coercion col:col collect:collect
collection:collect collectors:collector collides:collid colname:colnam column:column
columnname:columnnam columns:column combination:combin combined:combin comes:come comma:comma
commander:command commanderjs:commanderj commented:comment commercial:commerci committed:commit
commonjs:commonj communicate:communic communication:communic community:communiti
companion:companion comparator:compar comparedto:comparedto comparison:comparison compat:compat
compatibility:compat competitive:competit compile:compil compiles:compil complete:complet
completely:complet complex:complex compliant:compliant component:compon composable:compos
comprehensive:comprehens compression:compress computing:comput concatenate:concaten
concatenation:concaten concerned:concern concrete:concret condition:condit conditionally:condit
conditions:condit conducted:conduct confidential:confidenti config:config configuration:configur
configure:configur configurehelp:configurehelp configuring:configur conflict:conflict
conflicts:conflict conjunction:conjunct connect:connect connected:connect connection:connect
connectionurl:connectionurl conninfo:conninfo consecutive:consecut consequential:consequenti
considerations:consider consist:consist consistent:consist console:consol const:const
constants:constant constraint:constraint construct:construct construction:construct
constructor:constructor consume:consum consumer:consum consumption:consumpt contain:contain
containers:contain contains:contain contentmode:contentmod contenttype:contenttyp
contexts:context continued:continu continuously:continu contrib:contrib contributing:contribut
contributions:contribut control:control controlled:control controller:control
controlling:control convenience:conveni conversation:convers conversions:convers
converted:convert converts:convert coordinated:coordin copies:copi copying:copi
copytruncate:copytrunc correct:correct correctly:correct corresponding:correspond cosmic:cosmic
cosmos:cosmos cost:cost couch:couch could:could counted:count counters:counter counts:count
cov:cov coverage:coverag covers:cover crafting:craft crawlee:crawle createapp:createapp
createcommand:createcommand createhash:createhash createlogger:createlogg creates:creat
createstmt:createstmt creating:creat creators:creator credits:credit cries:cri crlf:crlf
crossed:cross crying:cri cryptographic:cryptograph ctx:ctx cumulative:cumul current:current
currently:current cursor:cursor custom:custom customization:custom customized:custom
customlevels:customlevel cvd:cvd cvss:cvss cycle:cycl dahl:dahl damages:damag danger:danger
data:data databases:databas datadog:datadog datalust:datalust dataoutputs:dataoutput
datbase:datbas daterange:daterang dates:date david:david davidmarkclem:davidmarkclem
davidson:davidson days:day dbhost:dbhost dbuser:dbuser dead:dead dealing:deal debug:debug
dec:dec decimal:decim declaration:declar declared:declar decorated:decor decrement:decrement
dedivvfujqn:dedivvfujqn deemed:deem deepclone:deepclon def:def defaultcommand:defaultcommand
defaultlabels:defaultlabel defer:defer defineconfig:defineconfig defines:defin
definitions:definit delay:delay delete:delet delimitated:delimit deliver:deliv delivers:deliv
delt:delt demand:demand deno:deno denote:denot deparser:depars deparsing:depars
dependency:depend deployment:deploy deprecation:deprec depthlimit:depthlimit describe:describ
describes:describ description:descript descriptor:descriptor design:design desired:desir
destination:destin destroy:destroy destructuring:destructur detailed:detail detect:detect
detects:detect determines:determin deterministic:determinist developed:develop
developers:develop development:develop devtools:devtool dfe:dfe diagnostics:diagnost didn:didn
diff:diff difference:differ different:differ differing:differ digit:digit dir:dir
direction:direct directory:directori dirs:dir disabled:disabl discard:discard disclaims:disclaim
disconnected:disconnect discrete:discret discussion:discuss disk:disk displayed:display
displays:display distinct:distinct distribute:distribut div:div dividedby:dividedbi
dnjstrom:dnjstrom doc:doc docs:doc documentation:document doesn:doesn dollars:dollar
dominictarr:dominictarr donation:donat dope:dope dot:dot dotnet:dotnet double:doubl
downloads:download downstream:downstream dqpdx:dqpdx drain:drain drink:drink driver:driver
dropped:drop dsp:dsp dummyprevious:dummyprevi dump:dump dupe:dupe duplexify:duplexifi
duration:durat dvm:dvm dying:die dynamic:dynam dynamicmodule:dynamicmodul eacf:eacf
eagain:eagain early:earli earrings:earring easily:easili easy:easi ebusy:ebusi
econnreset:econnreset edge:edg edu:edu eea:eea effective:effect efficiency:effici effort:effort
ekldgg:ekldgg elasticsearch:elasticsearch element:element elias:elia elitan:elitan else:els
email:email embedded:embed emerge:emerg emhcs:emhc emits:emit emitter:emitt emitwarning:emitwarn
empty:empti emulated:emul enabled:enabl enabling:enabl encode:encod encodeinto:encodeinto
encounter:encount encrypt:encrypt ended:end ends:end enforce:enforc engage:engag english:english
enjoyable:enjoy enough:enough enricher:enrich ensure:ensur ensuring:ensur entire:entir
entity:entiti entry:entri enumerable:enumer env:env environmental:environment epilog:epilog
epochtime:epochtim equivalent:equival err:err error:error errorkey:errorkey
errwithcause:errwithcaus esbuild:esbuild escaped:escap escapes:escap esfffbit:esfffbit esm:esm
essentials:essenti estimation:estim etc:etc ethanresnick:ethanresnick evaluate:evalu event:event
eventhandler:eventhandl eventname:eventnam eventtype:eventtyp ever:ever everything:everyth
example:exampl examplewarning:examplewarn exceeded:exceed exceeds:exceed excellent:excel
exception:except exchange:exchang exe:exe execstart:execstart executabledir:executabledir
executables:execut executed:execut execution:execut exemplars:exemplar exhaustion:exhaust
existed:exist exists:exist exitcode:exitcod exitoverride:exitoverrid exp:exp expected:expect
expended:expend explained:explain explicitly:explicit exponent:expon export:export
exporter:export expose:expos exposes:expos exposition:exposit expression:express
expressjs:expressj extend:extend extending:extend extensible:extens extent:extent
externally:extern extract:extract extras:extra eyes:eye faa:faa facilitating:facilit
factor:factor fail:fail failovers:failov faithful:faith fall:fall false:fals far:far fast:fast
fastest:fastest fatal:fatal fauser:fauser fbc:fbc fcpvajfkns:fcpvajfkn fczvm:fczvm
feature:featur features:featur fee:fee feeding:feed feel:feel fernando:fernando fetches:fetch
ffb:ffb fgzmzjmjr:fgzmzjmjr fidelity:fidel fields:field fikv:fikv filelogger:filelogg files:file
filled:fill filter:filter filtering:filter final:final financial:financi find:find fine:fine
fingers:finger finish:finish fire:fire firefox:firefox fit:fit fits:fit five:five fixed:fix
fizzed:fizz flag:flag flat:flat flavour:flavour flipped:flip floating:float floor:floor fls:fls
fluently:fluentli flush:flush flushes:flush flushsync:flushsync focus:focus focusing:focus
folding:fold followed:follow follows:follow footer:footer forced:forc forget:forget form:form
formatestring:formatestr formats:format formatter:formatt formatting:format forms:form
forum:forum forwarded:forward forwardout:forwardout found:found four:four fpackage:fpackag
fraction:fraction framework:framework free:free frequency:frequenc friend:friend friends:friend
frkc:frkc fromclause:fromclaus frompascal:frompasc fsfsyncsyncfd:fsfsyncsyncfd fst:fst
fsyncsync:fsyncsync fullclone:fullclon fullness:full func:func funcssql:funcssql
functional:function functions:function furthermore:furthermor future:futur fwv:fwv fxxihc:fxxihc
fzjxwdxsbskbuk:fzjxwdxsbskbuk gap:gap gateway:gateway gauge:gaug gcp:gcp gdpr:gdpr gee:gee
geese:gees general:general generate:generat generates:generat generation:generat
generators:generat generous:generous generously:generous gently:gentl get:get getcaller:getcal
getoptionvalue:getoptionvalu gets:get getter:getter gettracer:gettrac gfm:gfm ghost:ghost
gif:gif github:github give:give gives:give global:global gmail:gmail goes:goe going:go
goodness:good google:googl gqwlxuxofxspsj:gqwlxuxofxspsj grade:grade grain:grain granted:grant
graphs:graph gravelgateway:gravelgateway great:great greedy:greedi gregnr:gregnr
griesser:griesser grouping:group grow:grow growth:growth gtfd:gtfd guaranteed:guarante
guarantees:guarante guess:guess guidance:guidanc guidelines:guidelin gvlxhnasn:gvlxhnasn gyp:gyp
half:half hand:hand handle:handl handler:handler handles:handl hands:hand hannes:hann
hapijs:hapij happens:happen happily:happili happy:happi hardware:hardwar harmony:harmoni
hashed:hash hashes:hash hatches:hatch headaches:headach headers:header health:health heart:heart
height:height hello:hello helpcommand:helpcommand helpers:helper helps:help hepl:hepl
heroku:heroku hexadecimal:hexadecim hidden:hidden hierarchy:hierarchi higher:higher highly:high
histo:histo histograms:histogram hnzw:hnzw hold:hold holds:hold holmok:holmok homeaway:homeaway
hono:hono honorific:honorif hook:hook hooks:hook hopeful:hope hoping:hope hopped:hop hosted:host
hosts:host hover:hover howdy:howdi howe:howe hpgdnsnbee:hpgdnsnbee href:href html:html
httpd:httpd htzzuvpm:htzzuvpm hubs:hub human:human hurtado:hurtado hvbgk:hvbgk
hyperdrive:hyperdr hyphenated:hyphen hzg:hzg iars:iar icon:icon idea:idea ident:ident
identically:ident identified:identifi identifiers:identifi identity:ident idewmy:idewmi
idexny:idexni idi:idi idixns:idixn idiymy:idiymi idk:idk idly:idl idq:idq igal:igal ignore:ignor
ignoreplugin:ignoreplugin iihg:iihg ijji:ijji ilhnucbdb:ilhnucbdb imagine:imagin
immedialty:immedialti immutability:immut impact:impact impl:impl implementation:implement
implementers:implement implements:implement implicit:implicit implied:impli import:import
imported:import imports:import improvement:improv improving:improv imyelo:imyelo
inappropriate:inappropri incidental:incident included:includ including:includ inclusive:inclus
incompatible:incompat incorrectly:incorrect increases:increas incremented:increment
independence:independ independently:independ indexes:index indicated:indic indices:indic
individual:individu individuals:individu inferred:infer infinity:infin information:inform
ingestion:ingest inherit:inherit initial:initi initialization:initi initialized:initi
initializing:initi injected:inject injections:inject inner:inner innings:inning
innovations:innov input:input inputs:input insensitive:insensit inserted:insert insertion:insert
insertuser:insertus insights:insight inspecting:inspect inspector:inspector install:instal
installed:instal installing:instal instances:instanc instantiate:instanti instantiation:instanti
instead:instead instrument:instrument int:int integer:integ integrate:integr integration:integr
inter:inter interaction:interact interface:interfac intermediate:intermedi internall:internal
interpolated:interpol interpret:interpret interval:interv intro:intro inu:inu invited:invit
invoked:invok involved:involv involving:involv ionization:ioniz ipv:ipv isfinite:isfinit
islevelenabled:islevelen isnan:isnan isolated:isol isotime:isotim issue:issu issued:issu
itavy:itavi items:item iterating:iter iterator:iter ivnpl:ivnpl iywrvymu:iywrvymu
izxzlbm:izxzlbm jakso:jakso jan:jan janpaepke:janpaepk javascript:javascript jhhxnqagy:jhhxnqagi
jhvxzhr:jhvxzhr jliduunc:jliduunc jmsfbs:jmsfbs jobname:jobnam johan:johan join:join
josdejong:josdejong jpyw:jpyw jrft:jrft jscoverage:jscoverag jshint:jshint jsondt:jsondt jsr:jsr
jsw:jsw julienne:julienn kaboom:kaboom kaxyelaiolt:kaxyelaiolt kebab:kebab keep:keep
keepalivemsec:keepalivemsec kept:kept keys:key keywordkind:keywordkind keywordname:keywordnam
kibana:kibana kill:kill kind:kind kinds:kind klebanov:klebanov knex:knex know:know knows:know
koajs:koaj koskimas:koskima ktminwqaabk:ktminwqaabk kwlist:kwlist kysely:kyse label:label
labelnames:labelnam lacking:lack laid:laid lambda:lambda languages:languag
largeconfig:largeconfig laser:laser lastid:lastid lastlogger:lastlogg lastobj:lastobj
later:later launch:launch laying:lay lazily:lazili lba:lba ldgegeg:ldgegeg leading:lead
leaking:leak learning:learn leave:leav leaving:leav leerob:leerob legacy:legaci length:length
less:less lets:let letters:letter level:level levels:level levelvalue:levelvalu lewis:lewi
ley:ley liability:liabil lib:lib libpq:libpq library:librari licencing:licenc licensed:licens
life:life lifetime:lifetim lighter:lighter lightweight:lightweight likely:like limitation:limit
limitoption:limitopt line:line linearbuckets:linearbucket link:link lint:lint linux:linux
listed:list listener:listen listening:listen lists:list literals:liter live:live lja:lja lje:lje
ljixntmgmji:ljixntmgmji ljk:ljk lnczlm:lnczlm loader:loader loadmodule:loadmodul local:local
locally:local locating:locat log:log logentry:logentri logflare:logflar logfnfields:logfnfield
logger:logger loggers:logger logic:logic login:login logmethod:logmethod logocolor:logocolor
logrus:logrus logseverity:logsever logtail:logtail long:long look:look looks:look loop:loop
loss:loss love:love lower:lower lowest:lowest lrlna:lrlna lts:lts lukeed:luke lxe:lxe
lynch:lynch macbook:macbook macos:maco magic:magic maibornwolff:maibornwolff main:main
maintain:maintain maintainer:maintain maintaining:maintain major:major makes:make man:man
management:manag manages:manag mandatory:mandatori manipulating:manipul manner:manner many:mani
maphttprequest:maphttprequest mapper:mapper mappings:map marble:marbl mark:mark marks:mark
master:master matcher:matcher matching:match mathjs:mathj matteocollina:matteocollina
matters:matter maxageseconds:maxagesecond maximum:maximum maximumdepth:maximumdepth
maxrows:maxrow maxuses:maxus may:may mbp:mbp mccormick:mccormick mddmmjg:mddmmjg mdn:mdn
mean:mean means:mean measure:measur mechanism:mechan median:median medplum:medplum mem:mem
members:member mentions:mention merge:merg mergeobject:mergeobject mergingobject:mergingobject
messagekey:messagekey meta:meta metcoder:metcod methods:method metrics:metric
miaxoteumdm:miaxoteumdm microsoft:microsoft middleware:middlewar migration:migrat
miigzmlsbd:miigzmlsbd millions:million milliseconds:millisecond minification:minif minify:minifi
minimalistic:minimalist minimum:minimum minlevel:minlevel minus:minus minutes:minut
mishoo:mishoo missing:miss misuse:misus mitm:mitm mixin:mixin mixinobject:mixinobject mjs:mjs
mkdir:mkdir mock:mock mode:mode modes:mode modifies:modifi modifying:modifi module:modul
modulepath:modulepath modulo:modulo momentjs:momentj mongodb:mongodb monitoring:monitor
month:month mosk:mosk moving:move mozzarella:mozzarella msdn:msdn msgprefix:msgprefix
mssql:mssql much:much multiple:multipl multistreamres:multistreamr murray:murray mutable:mutabl
mutated:mutat mutating:mutat myapp:myapp mydb:mydb mymodule:mymodul mynodeapp:mynodeapp
myparseint:myparseint mytable:mytabl mzmgmtu:mzmgmtu name:name namely:name namespace:namespac
naming:name nanos:nano napkin:napkin nationalize:nation nativeclient:nativecli nature:natur
nbsp:nbsp ndigmjizljk:ndigmjizljk ndjson:ndjson nearest:nearest nearly:near necessary:necessari
needed:need needn:needn neg:neg negated:negat negligible:neglig neostandard:neostandard
nested:nest nestedkey:nestedkey nesting:nest net:net never:never newchild:newchild
newline:newlin newrelic:newrel news:news newxnzygmty:newxnzygmti nexxel:nexxel nia:nia
nicely:nice nightly:night njcgmta:njcgmta nkinkncctlv:nkinkncctlv nkwymzkuotk:nkwymzkuotk
node:node nodejs:nodej nodes:node noir:noir non:non noop:noop normal:normal normalizes:normal
notable:notabl notation:notat noted:note noteworthy:noteworthi notice:notic notifications:notif
nov:nov npmcharts:npmchart npmjs:npmjs npx:npx nsayndagmje:nsayndagmj nulltime:nulltim
number:number numeric:numer numilz:numilz nwvwd:nwvwd nya:nya nyaxnjaumde:nyaxnjaumd
nzcgmta:nzcgmta nzugmjc:nzugmjc obeying:obey object:object objects:object observations:observ
observed:observ obtained:obtain ocaymjmuotc:ocaymjmuotc occur:occur occurs:occur odc:odc
odnmmti:odnmmti oea:oea offer:offer offers:offer offs:off oid:oid oiigzpbgw:oiigzpbgw old:old
olderthan:olderthan omits:omit omitting:omit one:one ones:one onlisten:onlisten only:
onnotify:onnotifi onto:onto open:open opened:open openmetrics:openmetr opensource:opensourc
opensync:opensync operand:operand operating:oper operations:oper opposed:oppos opt:opt
optimize:optim option:option optionally:option optionslevel:optionslevel order:order
ordering:order org:org organization:organ organizations:organ origin:origin
originalmsg:originalmsg originate:origin orpig:orpig osaxntqunzq:osaxntqunzq
osaymtuuotg:osaymtuuotg otggmja:otggmja othdmjm:othdmjm others:other othmmti:othmmti
otkgmtyzlju:otkgmtyzlju otygmje:otygmj outererror:outererror outings:outing outline:outlin
output:output outputhelp:outputhelp outside:outsid overall:overal overcoming:overcom
overhaul:overhaul overload:overload override:overrid overriding:overrid oversight:oversight
overwrite:overwrit ovhemert:ovhemert owned:own oxv:oxv package:packag
packagephobia:packagephobia padded:pad page:page pairs:pair papertrail:papertrail
parallel:parallel parameter:paramet parameters:paramet paremeter:paremet parentlogger:parentlogg
parents:parent parse:pars parsed:pars parsefloat:parsefloat parseint:parseint
parseplpgsql:parseplpgsql parseresult:parseresult parses:pars parsing:pars partial:partial
particluar:particluar particularly:particular parts:part pascal:pascal pass:pass passing:pass
passwords:password past:past patch:patch patches:patch pathname:pathnam
pathstructure:pathstructur patterns:pattern payload:payload pdxfxorjxpq:pdxfxorjxpq pear:pear
penalty:penalti people:peopl per:per percentiles:percentil perfectly:perfect performance:perform
performed:perform period:period periods:period permissions:permiss person:person pet:pet
pganalyze:pganalyz pgbouncer:pgbouncer pgdatabase:pgdatabas pgidle:pgidl pgmg:pgmg
pgnativepool:pgnativepool pgpass:pgpass pgpassword:pgpassword pgport:pgport pgsql:pgsql
pguser:pguser phase:phase phn:phn picture:pictur pieces:piec pilon:pilon pinned:pin
pinohttp:pinohttp pinooptions:pinoopt pipeline:pipelin pipes:pipe pizza:pizza pkg:pkg
place:place placeholder:placehold places:place plan:plan platform:platform play:play
playing:play plays:play plpgsql:plpgsql plugin:plugin plus:plus pnmti:pnmti pnpm:pnpm
pointing:point pool:pool pools:pool popular:popular porsager:porsag portions:portion
position:posit positions:posit possible:possibl post:post postgres:postgr postgresql:postgresql
postmessage:postmessag potential:potenti pow:pow powered:power powers:power practice:practic
prbupz:prbupz preaction:preaction preceding:preced predefined:predefin prefer:prefer
prefers:prefer prefixed:prefix prepare:prepar prerequisites:prerequisit presented:present
preserved:preserv pressure:pressur prettified:prettifi prettifies:prettifi prev:prev
preventing:prevent previously:previous prevval:prevval primarily:primarili primary:primari
primitives:primit print:print printf:printf prints:print priorities:prioriti prisma:prisma
pro:pro problematic:problemat proceeding:proceed process:process processedargs:processedarg
processing:process produce:produc produces:produc products:product profits:profit
programming:program progress:progress projectid:projectid projects:project prometheus:prometheus
promises:promis promoting:promot pronounce:pronounc prop:prop proper:proper properties:properti
proposal:propos proto:proto prototype:prototyp provided:provid providers:provid providing:provid
proxies:proxi proxy:proxi psql:psql publication:public publish:publish publishing:publish
pulls:pull pure:pure purpose:purpos push:push pushgateway:pushgateway put:put python:python
qaaairlwelmtu:qaaairlwelmtu qiz:qiz qqjyupys:qqjyupi qualified:qualifi quantile:quantil
query:queri questions:question quick:quick quickstart:quickstart quotation:quotat quoted:quot
quoteutils:quoteutil qupe:qupe qzexms:qzexm qzixny:qzixni race:race random:random
rangevar:rangevar rate:rate ratio:ratio rationally:ration rawpu:rawpu rcnpini:rcnpini
reached:reach read:read readable:readabl reading:read readonly:readon ready:readi really:realli
reason:reason reasons:reason rebalance:rebal reboots:reboot receive:receiv receives:receiv
recent:recent reclaimed:reclaim recommend:recommend reconnect:reconnect reconnections:reconnect
record:record recoverable:recover rectangles:rectangl recvfrom:recvfrom redact:redact
redactedvalue:redactedvalu redaction:redact redacts:redact redirect:redirect reduce:reduc
reduces:reduc refer:refer references:refer referred:refer reformat:reformat refs:ref
regarding:regard regenerates:regener register:regist registermetric:registermetr
registration:registr registry:registri reject:reject rejection:reject relation:relat
relative:relat relayed:relay released:releas releated:releat reliability:reliabl relic:relic
relname:relnam rely:reli remain:remain remains:remain remedy:remedi remoteaddress:remoteaddress
remoteport:remoteport remove:remov removes:remov renamed:renam reopen:reopen reopens:reopen
replace:replac replaced:replac replaces:replac replica:replica replicated:replic
replication:replic repo:repo reported:report reports:report repositories:repositori
represent:repres represented:repres represents:repres req:req requested:request requests:request
required:requir requirejobname:requirejobnam requires:requir res:res reserved:reserv reset:reset
resetting:reset resnick:resnick resolve:resolv resolves:resolv resources:resourc
respectively:respect responds:respond responses:respons rest:rest restarting:restart
restify:restifi restored:restor result:result resulting:result resume:resum retains:retain
retrieve:retriev retryeagain:retryeagain returned:return returns:return reused:reus
reverse:revers review:review revoked:revok rewrites:rewrit richardson:richardson right:right
rill:rill risking:risk rlny:rlni roadmap:roadmap robinblomberg:robinblomberg rocks:rock
roll:roll rollbacks:rollback rollup:rollup roolevyyz:roolevyyz rotate:rotat rotation:rotat
round:round rounding:round router:router routine:routin row:row rows:row rpc:rpc rule:rule
ruleutils:ruleutil runners:runner runs:run runtimes:runtim ryan:ryan safari:safari safely:safe
safety:safeti salesdata:salesdata sample:sampl samples:sampl sanest:sanest sap:sap sauce:sauc
save:save savepoint:savepoint say:say sayings:say says:say sca:sca scaled:scale
scanresult:scanresult sce:sce scenarios:scenario schema:schema schemes:scheme scope:scope
score:score scrape:scrape scratch:scratch scripting:script sdk:sdk seamlessly:seamless
searching:search second:second secret:secret section:section security:secur seed:seed seeing:see
seems:seem seh:seh selectast:selectast selection:select selectiveclone:selectiveclon
selects:select self:self semantic:semant semicolon:semicolon semver:semver sending:send
sense:sens sensitive:sensit sentry:sentri separated:separ separator:separ seq:seq
serialization:serial serialized:serial serializers:serial serializing:serial serious:serious
serve:serv server:server servers:server service:servic servicename:servicenam serving:serv
set:set setcontenttype:setcontenttyp setop:setop setregistries:setregistri setter:setter
setting:set settypeparser:settypepars several:sever sfeuyfmd:sfeuyfmd shall:shall share:share
shares:share shell:shell shields:shield shipped:ship short:short shortened:shorten
shorthand:shorthand shouldn:shouldn showdown:showdown shows:show shutdown:shutdown shuts:shut
sighup:sighup signal:signal signer:signer significantly:signific sihprpdo:sihprpdo
silence:silenc simenb:simenb simple:simpl simplifying:simplifi since:sinc singleton:singleton
singly:singl sinkingpoint:sinkingpoint site:site situations:situat size:size sized:size
skies:sky skiing:ski skip:skip skis:ski sky:sky slack:slack sleeping:sleep slight:slight
slower:slower slows:slow smaller:smaller smart:smart smoothly:smooth snippet:snippet
social:social sockets:socket solely:sole solutions:solut solved:solv somehost:somehost
someparameter:someparamet something:someth sometimes:sometim somevalue:somevalu son:son
sonicboom:sonicboom sort:sort sortoptions:sortopt source:sourc spacer:spacer spanid:spanid
spans:span spawned:spawn spawns:spawn special:special specific:specif specification:specif
specified:specifi specify:specifi speed:speed split:split splitting:split sponsored:sponsor
sponsorship:sponsorship spy:spi spying:spi sql:sql sqrt:sqrt squareroot:squareroot ssh:ssh
ssl:ssl sslkey:sslkey sslnegotiation:sslnegoti stability:stabil stack:stack
stackexchange:stackexchang stale:stale standalone:standalon standardized:standard
standards:standard start:start starting:start startspan:startspan startup:startup
statebuf:statebuf statement:statement static:static statistics:statist status:status stay:stay
stderr:stderr stdin:stdin stdoutlogger:stdoutlogg stedolan:stedolan step:step still:still
stmt:stmt stop:stop storage:storag store:store stores:store str:str stream:stream
streaming:stream streamname:streamnam streamsarray:streamsarray strict:strict string:string
stringify:stringifi strings:string strongly:strong structured:structur stuff:stuff sub:sub
subcommand:subcommand subcommandterm:subcommandterm sublicense:sublicens submitted:submit
subscribe:subscrib subscription:subscript subset:subset substantial:substanti substrings:substr
succeeded:succeed succeeding:succeed successful:success succinct:succinct suggest:suggest
suitable:suitabl sum:sum summary:summari sumners:sumner superuser:superus supplied:suppli
supply:suppli support:support supporting:support supposed:suppos suppressed:suppress
suppression:suppress surface:surfac svg:svg switches:switch sxu:sxu symbols:symbol sync:sync
synchronous:synchron synopsis:synopsi syslog:syslog systemd:systemd tab:tab tableelts:tableelt
tag:tag tags:tag taken:taken taking:take targeted:target targets:target tasks:task tbody:tbodi
tde:tde tdigest:tdigest team:team teardown:teardown technique:techniqu telegram:telegram
tell:tell template:templat templates:templat tend:tend terminal:termin terminated:termin
terminology:terminolog terser:terser tested:test tests:test textencoder:textencod thank:thank
thats:that theo:theo therefore:therefor thing:thing think:think third:third thomas:thoma
thoughtful:thought thread:thread threads:thread three:three throttle:throttl
throughout:throughout throw:throw thrown:thrown thus:thus tick:tick tidelift:tidelift ties:tie
tim:tim timely:time timer:timer times:time timestamps:timestamp tiny:tini tip:tip title:titl
tls:tls tnkf:tnkf toarray:toarray toc:toc toclientconfig:toclientconfig
toexponential:toexponenti tofraction:tofract tojson:tojson tokebab:tokebab tokenizes:token
tokens:token tomer:tomer took:took tooling:tool top:top toplevel:toplevel toprecision:toprecis
tortious:tortious totally:total trace:trace tracer:tracer tracing:trace trade:trade
traffic:traffic transactions:transact triply:tripli ugly:ugli universe:univers
university:univers yelled:yell yielding:yield
`;
