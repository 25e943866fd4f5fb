#!/usr/bin/python3
"""fastText predictions as `LABEL<TAB>PROBABILITY` lines (standard library only).

    predict_lid176.py MODEL.ftz FILE > PRED           lid.176, restricted to our 24 labels
    predict_lid176.py --plain MODEL.bin FILE > PRED   any supervised model, top 1 as is

FILE has one document per line; a leading `__label__LABEL` token (fastText
format) is removed, the rest of the line is the text. Every line of FILE gives
exactly one line of PRED (an empty line gives a prediction too); if fastText's
output does not have one line per input line the script fails.

The text is sent to Debian's fastText 0.9.2 unchanged (bytes as they are;
fastText splits words on space, tab, CR, VT, FF and NUL) as
`fasttext predict-prob MODEL - K`, one line per document on stdin.

Default mode (lid.176): `fasttext predict-prob MODEL - 176 -1`, i.e. every
label of lid.176 with its probability. (The threshold -1 matters: with the
default 0, fastText 0.9.2 drops every label whose probability is below about
1e-5, since it compares log(p) with log(threshold + 1e-5); -1 makes that
comparison NaN, so no label is dropped and each line has all 176.) Only the
labels that are one of our 24 languages are kept:

  en ja ko ru uk de fr es it pt pl nl cs sv tr vi id el da fi hu ro
      -> the same code (lid.176 uses ISO 639-1 codes for all of them)
  zh  -> zh-Hant or zh-Hans by the script rule below

All other labels (including yue Cantonese and wuu Wu, and near neighbours such
as ms, no, be, bg, ca, gl) are dropped. The kept probabilities are renormalised
to sum to 1 and the most probable kept label is printed with its renormalised
probability (6 decimals). If none is kept (fastText printed nothing for the
line) the line is `<TAB>0.000000`: no answer, counted as wrong by eval.py.

zh rule: lid.176 has one label for written Chinese. We count, in the text,
characters that are only simplified (HANS_SET, 2295) and only traditional
(HANT_SET, 4523): 277 hand-checked common pairs (这/這, 们/們, 国/國 ...)
extended with every character that Unicode's Unihan data marks as always
changing under simplification or traditionalisation (details above the sets
below). More traditional than simplified characters -> zh-Hant, otherwise
(including ties and none at all) -> zh-Hans. The whole zh probability goes to
that one label.

--plain: K = 1 and no restriction: the label (prefix `__label__` removed) and
its probability as fastText prints them, capped at 1 (fastText adds 1e-5 to
probabilities before taking logs, so it can print 1.00001); for `fasttext
supervised` models.
"""

import subprocess
import sys
import threading

OURS = ("en zh-Hans zh-Hant ja ko ru uk de fr es it pt pl nl cs sv tr vi id el da fi hu ro").split()
SAME = set(OURS) - {"zh-Hans", "zh-Hant"}

# The zh rule counts characters of HANS_SET (used in simplified, never in
# traditional Chinese) and HANT_SET (the reverse).
#
# 1. 277 common characters checked by hand: SIMPLIFIED[i] is the simplified
# form of TRADITIONAL[i], and each form is, in ordinary use, specific to its
# script (pairs such as 后/後, 里/裡, 干/幹, 云/雲, 台/臺, 复/復 whose simplified
# form also occurs in traditional text are left out). Every pair agrees with
# Unihan's kSimplifiedVariant/kTraditionalVariant.
SIMPLIFIED = (
    "这个们来时为说国对会过还发经见头样点学没问长东车开关门书电话间现实动机场当无与从两进"
    "体种将应么边让认识设计记讲请该谁读写听买卖钱银铁钟错飞马鸟鱼龙爱亲觉观视览网线红绿给"
    "结终纪级约组织练统续维继华汉语词译议论许诉试诗调谈谢证评变万亿义乐习乡产亚众优传伤价"
    "仅节药苏艺号员图团园围报处备妈孙宁宝导岁岛币师帮带广庆库张弹归总恶惊战护择换据担拥数"
    "断显晓条极构标树桥检楼欢气汇济浅测热灯烧爷牵独猫环疗盖盘确礼离称笔简类纸细罗职联肠脑"
    "脸舰艰荣获营虽补装规誉贝负责贵费资赛赶轻较辆达运远连选递邮钢闻阳阴际陆难须题风饭馆验"
    "鸡齐吗别块坏声儿丢严临举丽乌乱争亏伟侠侧侨俭债倾偿")
TRADITIONAL = (
    "這個們來時為說國對會過還發經見頭樣點學沒問長東車開關門書電話間現實動機場當無與從兩進"
    "體種將應麼邊讓認識設計記講請該誰讀寫聽買賣錢銀鐵鐘錯飛馬鳥魚龍愛親覺觀視覽網線紅綠給"
    "結終紀級約組織練統續維繼華漢語詞譯議論許訴試詩調談謝證評變萬億義樂習鄉產亞眾優傳傷價"
    "僅節藥蘇藝號員圖團園圍報處備媽孫寧寶導歲島幣師幫帶廣慶庫張彈歸總惡驚戰護擇換據擔擁數"
    "斷顯曉條極構標樹橋檢樓歡氣匯濟淺測熱燈燒爺牽獨貓環療蓋盤確禮離稱筆簡類紙細羅職聯腸腦"
    "臉艦艱榮獲營雖補裝規譽貝負責貴費資賽趕輕較輛達運遠連選遞郵鋼聞陽陰際陸難須題風飯館驗"
    "雞齊嗎別塊壞聲兒丟嚴臨舉麗烏亂爭虧偉俠側僑儉債傾償")
assert len(SIMPLIFIED) == len(TRADITIONAL) == len(set(SIMPLIFIED)) == len(set(TRADITIONAL)) == 277

# 2. Generated from Unicode 15.0's Unihan_Variants.txt (Debian unicode-data
# 15.0.0-1), CJK Unified Ideographs U+4E00..U+9FFF only, 苧 (listed both ways)
# left out:
#   HANT_ONLY: characters with a kSimplifiedVariant that does not include
#              themselves (they always change when simplified): 4523
#   HANS_ONLY: characters with a kTraditionalVariant that does not include
#              themselves (2202), plus SIMPLIFIED (93 more: Unihan lists e.g.
#              这, 个, 时 as one of their own traditional variants): 2295
# It is a superset of the hand-checked list; on 5000 short fragments each of
# the zh_CN and zh_TW man pages of Debian's manpages-zh 1.6.4.0 (not the
# benchmark's eval data) it labels 100.0% of zh_CN and 89.6% of zh_TW
# fragments right (the hand-checked list alone: 100.0% and 81.8%; the rest
# have no distinguishing character and go to zh-Hans).
HANT_ONLY = (
    "丟並亂亞佇併來侖侶俁係俓俔俠俥倀倆倈倉個們倫倲偉偑偩側偵偽傌傑傖傘備傢傪傭傯傱傳傴債傷傾僀僂僅僆僉働僑僓僕僗僞僤僥僨僩僴"
    "價僾儀儁儂億儅儈儉儐儔儕儖儘償儢儣儥儩優儰儱儲儷儸儹儺儻儼兌兒兗內兩冊冪凈凍凔凙凜凟凱別刪剄則剋剎剗剛剝剮剴創剸剾劃劇劉"
    "劊劌劍劏劑劗劚勁勑動務勛勝勞勢勣勩勱勴勵勸勻匭匯匰匱匵區協卨卻厙厭厱厲厴參叄叢吒吳吶呂咼員哯唄唊唓唚唻問啞啟啢喎喚喪喬單"
    "喲嗆嗇嗊嗎嗚嗧嗩嗶嗹嗿嘄嘆嘇嘍嘓嘔嘖嘗嘜嘩嘪嘮嘯嘰嘳嘵嘸嘺嘽噁噅噓噚噝噞噠噥噦噯噲噴噸噹嚀嚂嚇嚈嚌嚍嚐嚕嚙嚛嚝嚠嚦嚧嚨嚩"
    "嚪嚫嚬嚱嚲嚳嚴嚶嚸嚽嚿囀囁囂囃囅囇囈囉囋囐囑囒囕囪圇國圍園圓圖團圞垵垷埉埡埨埬埰執堅堈堊堖堚堝堯報場塊塋塏塒塗塢塤塵塸塹"
    "塼塿墆墊墋墏墜墝墠墢墧墮墳墶墷墾墿壇壈壋壍壏壐壒壓壔壗壘壙壚壛壝壞壟壠壢壣壧壩壪壯壺壼壽夠夢夾奐奧奩奪奫奬奮奯奲奼妝姍姦"
    "娙娛婁婡婦婭婸媁媈媜媧媯媰媼媽嫈嫗嫢嫥嫧嫵嫻嫿嬃嬅嬇嬈嬋嬌嬐嬒嬙嬡嬣嬤嬦嬪嬮嬰嬸嬻嬾孄孆孇孋孌孎孫孲學孻孾孿宮寠寢實寧審"
    "寪寫寬寯寵寶寷將專尋對導尵尷屆屍屓屜屢層屨屩屬岡峴島峽崍崗崙崠崢崬崱崵嵐嵷嵸嵼嵽嵾嶁嶄嶇嶈嶔嶗嶠嶢嶤嶧嶨嶩嶪嶮嶴嶸嶹嶺嶼"
    "嶽巃巆巊巋巑巒巔巖巗巘巚巠巰帥師帳帴帶幀幃幓幗幘幟幠幣幩幫幬幰幱幹幺幾庫庲廁廂廄廈廎廔廕廗廚廝廞廟廠廡廢廣廥廧廩廬廮廳弒"
    "弳張強彄彈彌彍彎彙彞彠彥彲後徑從徠徹徿恆恥悅悏悞悵悶惀惡惱惲惻愇愛愜愨愩愴愷愾慄態慍慐慘慙慚慟慣慪慫慮慯慱慲慳慶慸慹慺憂"
    "憊憍憐憑憒憖憚憢憤憦憪憫憮憲憴憶憸憹懀懇應懌懍懓懕懘懙懜懞懟懠懣懤懧懨懩懫懭懰懲懶懷懸懺懼懾戀戁戃戇戔戧戩戰戱戲戶拋挩挾"
    "捨捫捲掁掃掄掆掗掙掚掛採揀揚換揮搊損搎搖搗搵搶摀摃摋摐摑摕摙摜摟摪摫摯摲摳摶摻摼撈撊撋撌撏撐撓撝撟撣撥撧撫撲撳撶撻撾撿擁"
    "擃擄擇擈擊擋擓擔據擟擠擣擥擧擪擫擬擯擰擱擲擳擴擷擺擻擼擽擾攄攆攋攎攏攑攔攖攙攛攜攝攞攢攣攤攦攧攩攪攬攳敗敘敵數敺敿斁斂斃"
    "斄斅斆斕斬斷斸於旝旟昜時晉晛晝暈暉暐暘暟暢暫曄曆曇曉曊曏曖曠曥曨曬曭曮書會朥朧東柵桱桿梔梖梘梜條梟梲棄棆棖棗棟棡棧棲棶椏"
    "椚椲楇楊楎楓楨業極榝榪榮榯榲榿構槍槤槧槨槫槮槳槶槻槼樁樂樅樓標樞樠樢樣樫樲樳樸樹樺樻樿橃橅橈橋橚機橢橨橫橯檁檂檉檋檒檔檛"
    "檜檟檡檢檣檥檭檮檯檰檲檳檵檸檻檾檿櫃櫅櫍櫎櫏櫓櫚櫛櫝櫞櫟櫠櫢櫥櫧櫨櫩櫪櫫櫬櫯櫱櫳櫴櫶櫸櫹櫻櫽欄欇權欍欏欐欑欒欓欖欘欞欽歄"
    "歍歐歕歗歛歞歟歡歲歷歸歿殘殞殢殤殨殫殮殯殰殲殺殼毀毄毆毊毿氀氂氈氌氣氫氬氭氳決沒沖況洶浹浿涇涷涼淚淥淪淵淶淺渙減渢渦測渾"
    "湊湋湞湯溈準溝溡溤溫溮溰溳滄滅滌滎滬滭滯滲滷滸滻滾滿漁漊漍漎漐漙漚漢漣漬漲漵漸漿潁潑潔潕潚潛潣潤潬潯潰潷潿澀澅澆澇澐澒澖"
    "澗澠澢澤澦澩澫澬澮澰澱澾濁濃濄濆濇濊濕濘濚濛濜濟濤濧濫濰濱濺濼濾濿瀁瀂瀃瀄瀅瀆瀇瀈瀉瀋瀏瀕瀘瀙瀝瀟瀠瀢瀦瀧瀨瀯瀰瀲瀳瀴瀵"
    "瀾灃灄灍灑灒灓灕灘灙灝灟灠灡灣灤灦灧災為烏烴焛無煇煉煒煙煢煥煩煬煱煼熂熅熉熌熒熓熕熗熞熡熰熱熲熾燀燁燈燌燒燖燘燙燜營燡燦"
    "燭燰燴燵燶燼燽燾爁爃爄爍爐爓爖爛爣爥爧爭爺爾牆牋牘牼牽犅犓犖犞犢犤犧狀狹狽猌猍猙猧猶猻獁獄獅獊獎獑獖獟獢獨獩獪獫獮獰獱獲"
    "獵獷獸獹獺獻獼玀玁玂珼現琖琺琿瑋瑒瑙瑣瑤瑩瑪瑲瑻瑽璉璊璕璗璛璝璡璣璦璫璯環璵璸璹璼璽璾瓄瓅瓊瓏瓐瓓瓔瓕瓚瓛甊甌甒甖產畝畢"
    "畫異當疇疊痙痮痾瘂瘋瘍瘑瘒瘓瘞瘡瘧瘮瘱瘲瘺療癆癇癈癉癎癐癘癟癠癢癤癥癧癩癪癬癭癮癰癱癲癴發皚皟皪皰皸皺皾盜盞盡監盤盧盨盪"
    "眥眾睍睏睔睜睞睪睴瞓瞘瞛瞜瞞瞡瞤瞯瞱瞶瞷瞼矇矉矊矑矓矕矖矘矚矯矲硃硜硤硨硯碙碢碩碭碸確碼碽磑磒磚磠磣磧磯磱磵磽磾礄礆礋礎"
    "礏礐礒礙礚礛礥礦礩礪礫礬礮礰礱礲礹祿禍禎禓禕禜禡禦禪禬禮禯禰禱禵禿秈稅稈稏稟種稱穀穇穌積穎穖穠穡穢穧穨穩穫穬穭窩窪窮窯窱"
    "窵窶窺竀竄竅竇竈竉竊竱競筆筍筧筴箋箏箹節範築篋篔篘篢篤篩篳篵篸篿簀簂簍簜簞簡簢簣簥簫簵簹簻簽簾籃籋籌籔籙籚籛籜籟籠籣籦籩"
    "籪籫籬籭籮籯籲粯粵粻糝糞糧糮糰糲糴糶糷糹糺糽糾紀紂紃約紅紆紇紈紉紋紌納紐紑紒紓純紕紖紗紘紙級紛紜紝紞紟紡紨紩紬紭細紱紲紳"
    "紵紶紸紹紺紼紽紾紿絀絁終絃組絅絆絇絍絎結絑絓絕絖絘絙絚絛絝絞絟絠絡絢絣絤絥給絧絨絪絯絰統絲絳絸絹絺絻絼絽絾絿綀綁綃綄綅綆"
    "綇綈綊綋綌綍綎綏綐經綕綖綜綝綞綟綠綡綢綣綧綪綬維綯綰綱網綴綵綷綸綹綺綻綼綽綾綿緀緁緂緄緅緆緇緉緊緋緌緍緎総緒緓緔緗緘緙線"
    "緛緝緞緟締緡緢緣緤緦緧編緩緪緫緬緮緯緰緱緲練緵緶緷緸緹緺緻縈縉縊縋縌縍縎縐縑縒縓縕縖縗縚縛縜縝縞縟縡縣縧縩縪縫縬縭縮縯縰"
    "縱縲縳縴縵縶縷縸縹縺縼總績縿繀繂繃繅繆繈繎繏繐繑繒繓織繕繖繗繘繙繚繜繞繟繡繢繣繨繩繪繫繬繭繮繯繰繲繳繵繶繷繸繹繻繼繽繾繿"
    "纀纁纃纆纇纈纊纋續纍纏纑纓纔纕纖纗纘纚纜缽罃罆罈罌罏罰罵罷罼羂羅羆羈羋羥義羵習翜翬翹翽翿耬耮聖聞聯聰聲聳聵聶職聹聻聽聾肅"
    "脅脈脛脥脫脹腎腖腡腦腪腫腳腸膃膒膕膚膞膠膢膩膮膴膶膷膹膽膾膿臇臉臍臏臗臘臚臟臠臡臢臨臺與興舉舊艙艛艜艤艦艫艭艱艷芻茲荊莊"
    "莖莢莧菕華萇萊萬萯萴萵葉葒葝葤葦葷葻蒍蒒蒔蒞蒭蒳蒶蒼蓀蓋蓮蓯蓲蓴蓽蔄蔎蔔蔞蔠蔣蔥蔦蔪蔭蔮蔯蔱蕁蕄蕆蕎蕑蕒蕓蕕蕘蕝蕟蕡蕢蕧"
    "蕩蕪蕭蕳蕷蕽薀薆薈薉薊薋薌薑薔薖薘薟薠薦薩薱薲薳薴薵薺藇藍藎藖藘藚藝藣藥藪藬藭藰藶藷藹藺藾蘀蘄蘆蘇蘈蘊蘋蘚蘞蘟蘡蘢蘫蘬蘭"
    "蘱蘵蘹蘺蘿虅虆虉處虛虜號虦虧虯蛵蛺蛻蛼蜆蜦蜸蜽蝀蝁蝕蝜蝟蝦蝸螄螘螞螢螮螴螹螻螿蟂蟄蟈蟎蟘蟜蟡蟣蟦蟬蟯蟱蟲蟳蟶蟷蟻蟽蠀蠁蠅"
    "蠆蠈蠌蠐蠑蠒蠙蠞蠟蠣蠦蠨蠪蠱蠳蠶蠻蠾衊術衕衚衛衝袞裊裌補裝裲製複褌褘褭褲褳褸褺褻襀襂襇襌襏襓襖襗襘襛襝襠襤襨襪襬襭襯襰襱"
    "襲襴襵襸襹襼見覎規覒覓覕視覗覘覛覜覟覠覡覢覤覥覦覩親覬覭覯覰覲覴覶覷覸覹覺覻覼覽覿觀觴觶觷觸觹觻觽訁訂訃訆計訊訌討訏訐訑"
    "訒訓訕訖託記訛訜訝訞訟訢訣訥訦訧訨訩訪訬設訰許訴訶訸訹診註訽詀詁詃詄詅詆詇詉詊詌詍詎詏詐詑詒詓詔評詖詗詘詛詜詝詞詠詡詢詣"
    "詥試詨詩詪詫詬詭詮詯詰話該詳詴詵詶詷詺詻詼詿誂誃誄誅誆誇誋誌認誎誏誐誑誒誔誕誗誘誙誚誜語誠誡誣誤誥誦誧誨說誫誰課誳誴誶誷"
    "誹誺誻誼誽誾調諁諂諃諄諆談諈諉請諍諎諏諑諒諓諔諕論諗諛諜諝諞諟諠諢諣諤諥諦諧諩諫諭諮諯諰諱諲諳諴諶諷諸諹諺諻諼諾謀謁謂謄"
    "謅謆謉謊謋謌謍謎謏謐謑謔謖謗謙謚講謜謝謞謟謠謣謥謨謫謬謭謯謰謱謲謳謴謵謸謹謻謼謾譀譂譄譅譆譇譈證譊譌譎譏譐譑譓譔譖識譙譚"
    "譜譞譟譠譡譨譩譫譯議譳譴護譸譹譺譻譼譽譾譿讀讂讅讆讇讉變讋讌讎讑讒讓讔讕讖讘讙讚讛讜讝讞讟豄豅豈豎豐豬豵豶貓貗貙貝貞貟負"
    "財貢貣貤貦貧貨販貪貫責貯貰貱貲貳貴貶買貸貺費貼貽貾貿賀賁賂賃賄賅資賈賊賑賒賓賕賗賙賚賜賝賞賟賠賡賢賣賤賥賦賧賨質賬賭賮賰"
    "賴賵賶賸賹賺賻購賽賾贃贄贅贆贇贈贉贊贋贍贏贐贑贓贔贕贖贗贙贚贛赬趕趙趨趫趬趲跡踐踚踴蹌蹔蹕蹛蹡蹣蹤蹥蹪蹳蹺蹻躀躂躉躊躋躍"
    "躎躑躒躓躕躘躚躝躡躥躦躧躪軀軂軃軇軉車軋軌軍軎軏軑軒軓軔軕軖軗軘軛軜軝軞軟軤軥軧軨軫軬軮軯軱軲軳軵軷軸軹軺軻軼軾軿輀輁輂"
    "較輄輅輆輇輈載輊輋輐輑輒輓輔輕輖輗輘輙輚輛輜輝輞輟輠輡輢輣輤輥輦輨輩輪輫輬輮輯輲輳輴輵輶輷輸輹輻輾輿轀轂轃轄轅轆轇轈轉轊"
    "轍轎轏轐轑轒轓轔轕轖轗轘轙轚轛轝轞轟轠轡轢轣轤轥辦辭辮辯農迴逕這連進逿運過達違遙遜遞遠適遰遱遲遶遷選遺遼邁還邇邊邏邐郟郲"
    "郵鄆鄉鄒鄔鄖鄟鄡鄦鄧鄩鄪鄬鄭鄮鄰鄲鄳鄴鄶鄺酇酈醆醜醞醦醧醫醬醱醲醳醶釀釁釃釅釋釐釒釓釔釕釗釘釙釚釛針釟釣釤釥釦釧釨釩釪釫"
    "釬釭釱釲釳釴釵釷釹釺釽釾釿鈀鈁鈂鈃鈄鈆鈇鈈鈉鈋鈍鈎鈏鈐鈑鈒鈓鈔鈕鈖鈗鈚鈛鈜鈞鈠鈣鈤鈥鈦鈧鈪鈮鈯鈰鈲鈳鈴鈵鈶鈷鈸鈹鈺鈼鈽鈾"
    "鈿鉀鉁鉅鉈鉉鉊鉋鉌鉍鉎鉏鉐鉑鉒鉔鉕鉗鉘鉙鉚鉛鉜鉝鉞鉟鉠鉡鉤鉥鉦鉧鉨鉬鉭鉮鉲鉵鉶鉷鉸鉹鉺鉻鉼鉽鉾鉿銀銁銂銃銅銈銊銋銍銏銑銓"
    "銔銖銗銘銙銚銛銜銠銡銣銥銦銧銨銩銪銫銬銱銲銳銶銷銸銹銻銼銾鋁鋂鋃鋅鋇鋉鋊鋋鋌鋍鋏鋐鋒鋗鋘鋙鋜鋝鋟鋠鋡鋣鋤鋥鋦鋧鋨鋩鋪鋮鋯"
    "鋰鋱鋶鋸鋹鋼鋾錀錁錂錄錆錇錈錋錍錏錐錑錒錔錕錗錘錙錚錛錜錝錞錟錠錡錢錣錤錥錦錧錨錩錪錫錭錮錯錳錶錸錽鍀鍁鍂鍃鍄鍆鍇鍈鍉鍊"
    "鍋鍍鍏鍐鍑鍒鍔鍖鍘鍚鍛鍜鍝鍟鍠鍡鍣鍤鍥鍦鍧鍨鍩鍬鍭鍮鍯鍰鍱鍴鍵鍶鍺鍼鍾鎂鎄鎅鎇鎈鎉鎊鎋鎌鎍鎑鎒鎓鎔鎕鎖鎗鎘鎙鎚鎛鎝鎞鎡鎢"
    "鎣鎦鎧鎩鎪鎬鎮鎯鎰鎲鎳鎵鎶鎷鎿鏁鏂鏃鏆鏇鏈鏉鏌鏍鏏鏐鏑鏒鏓鏔鏕鏗鏘鏙鏚鏜鏝鏞鏟鏡鏢鏤鏥鏦鏨鏩鏰鏵鏷鏸鏹鏺鏻鏽鏾鐀鐁鐃鐄鐇"
    "鐈鐉鐊鐋鐍鐎鐏鐐鐒鐓鐔鐕鐖鐘鐙鐚鐝鐠鐤鐥鐦鐧鐨鐩鐪鐫鐬鐮鐯鐲鐳鐴鐵鐶鐸鐹鐺鐼鐽鐿鑀鑄鑇鑈鑉鑊鑋鑌鑏鑐鑑鑒鑔鑕鑖鑘鑙鑛鑞鑠"
    "鑡鑢鑣鑥鑨鑪鑭鑮鑯鑰鑱鑲鑴鑷鑸鑹鑼鑽鑾鑿钀钁钃長門閂閃閄閅閆閈閉開閌閍閎閏閐閑閒間閔閕閗閘閛閜閝閞閟閡閣閤閥閦閧閨閩閫閬"
    "閭閯閱閵閶閷閹閻閼閽閾閿闃闄闆闇闈闉闊闋闌闍闐闑闒闓闔闕闖闚闛關闞闟闠闡闢闤闥阪陘陝陣陰陳陸陽陿隉隊階隑隕隖際隤隨險隫隮"
    "隯隱隲隴隸隻雋雖雙雛雜雞離難雲電霢霣霧霼霽靂靄靅靆靈靉靚靜靦靧靨鞀鞏鞝鞦鞸鞻鞼鞽鞾韁韃韆韇韉韊韋韌韍韏韐韒韓韔韗韘韙韚韛"
    "韜韝韞韠韡韢韣韻響頁頂頃頄項順頇須頊頌頍頎頏預頑頒頓頔頕頖頗領頛頜頞頟頠頡頢頤頦頩頪頫頭頮頯頰頲頴頵頷頸頹頻顀顁顃顄顅顆"
    "顇顉顊顋題額顎顏顐顑顒顓顖顗願顙顛顜顝類顠顢顣顤顥顦顧顩顪顫顬顮顯顰顱顳顴風颩颬颭颮颯颰颱颲颳颴颶颷颸颹颺颻颼颽颾颿飀飁"
    "飂飄飆飇飈飉飋飍飛飠飢飣飤飥飦飩飪飫飭飯飰飲飴飵飶飷飼飽飾飿餀餂餃餄餅餉養餌餎餏餑餒餓餔餕餖餗餘餚餛餜餞餟餡餢餣餤餦餧館"
    "餩餪餫餬餭餯餰餱餲餳餴餵餶餷餸餹餺餼餾餿饀饁饃饅饆饇饈饉饊饋饌饎饐饒饗饘饙饛饜饞饟饠饡饢馩馬馭馮馯馱馲馳馴馵馹馺馼馽駁駂"
    "駃駉駊駍駎駏駐駑駒駓駔駕駗駘駙駚駛駜駝駞駟駢駣駤駥駧駩駪駫駬駭駮駰駱駴駶駷駸駹駺駻駼駽駾駿騀騁騂騃騄騅騇騉騊騋騌騍騎騏騑"
    "騔騕騖騗騙騚騜騝騞騟騠騢騣騤騥騧騩騪騫騬騭騮騯騰騱騲騳騴騵騶騷騸騹騺騻騼騽騾驀驁驂驃驄驅驈驉驊驋驌驍驎驏驐驒驓驔驕驖驗驙"
    "驚驛驞驟驠驡驢驤驥驦驨驩驪驫骯髏髐髒體髕髖髮鬆鬍鬖鬗鬚鬜鬝鬞鬠鬡鬢鬥鬧鬩鬮鬱鬹鬺魎魗魘魚魛魜魝魟魠魡魢魣魥魦魧魨魪魫魬魭"
    "魮魯魱魴魵魶魷魺魻魼魽魾鮀鮁鮂鮃鮄鮅鮆鮇鮈鮊鮋鮌鮍鮎鮏鮐鮑鮒鮓鮗鮘鮚鮛鮜鮞鮟鮠鮡鮣鮤鮥鮦鮧鮨鮪鮫鮬鮭鮮鮯鮰鮳鮵鮶鮷鮸鮹鮺"
    "鮻鮿鯀鯁鯄鯅鯆鯇鯈鯉鯊鯌鯒鯔鯕鯖鯗鯚鯛鯝鯞鯠鯡鯢鯤鯥鯦鯧鯨鯩鯪鯫鯬鯮鯰鯱鯴鯶鯷鯸鯹鯻鯼鯽鯾鯿鰁鰂鰃鰅鰆鰇鰈鰉鰊鰋鰌鰍鰏鰐"
    "鰑鰒鰓鰕鰗鰛鰜鰝鰟鰠鰡鰣鰤鰥鰦鰧鰨鰩鰫鰬鰭鰮鰯鰱鰲鰳鰴鰵鰶鰷鰹鰺鰻鰼鰽鰾鰿鱀鱁鱂鱃鱄鱅鱆鱇鱈鱉鱊鱋鱌鱍鱎鱏鱐鱑鱒鱓鱔鱕鱖"
    "鱗鱘鱚鱝鱞鱟鱠鱢鱣鱤鱥鱦鱧鱨鱬鱭鱮鱯鱲鱴鱵鱷鱸鱹鱺鱻鳥鳦鳧鳩鳭鳱鳲鳳鳴鳶鳷鳸鳺鳻鳼鳽鳾鳿鴀鴁鴂鴃鴅鴆鴇鴉鴍鴐鴒鴓鴔鴕鴗鴘"
    "鴙鴚鴛鴜鴝鴞鴟鴠鴡鴢鴣鴥鴦鴨鴩鴮鴯鴰鴱鴲鴳鴴鴶鴷鴸鴹鴺鴻鴽鴾鴿鵀鵁鵂鵃鵄鵅鵊鵋鵌鵎鵏鵐鵑鵒鵓鵔鵕鵖鵗鵙鵚鵛鵜鵝鵟鵠鵡鵧鵩"
    "鵪鵫鵬鵮鵯鵰鵱鵲鵳鵴鵵鵶鵷鵸鵹鵻鵼鵽鵾鶀鶂鶃鶄鶅鶆鶇鶉鶊鶋鶌鶒鶓鶔鶕鶖鶗鶘鶙鶚鶛鶝鶞鶟鶠鶡鶢鶣鶤鶥鶦鶨鶩鶪鶬鶭鶯鶰鶱鶲鶴"
    "鶵鶶鶷鶹鶺鶻鶼鶽鷀鷁鷂鷃鷅鷇鷈鷉鷊鷋鷎鷏鷐鷑鷒鷓鷔鷕鷖鷗鷙鷚鷛鷜鷞鷟鷢鷣鷤鷥鷦鷧鷨鷩鷫鷭鷮鷯鷰鷲鷳鷵鷶鷷鷸鷹鷺鷽鷾鷿鸀鸁"
    "鸂鸃鸄鸅鸆鸇鸉鸊鸋鸌鸎鸏鸐鸑鸒鸓鸕鸖鸗鸘鸙鸚鸛鸜鸝鸞鹵鹹鹺鹼鹽麗麡麥麧麨麩麬麮麯麰麱麲麳麴麵麷麼麽黂黃黌點黨黲黴黶黷黸黽"
    "黿鼀鼁鼄鼅鼆鼈鼉鼊鼕鼚鼲鼴齈齊齋齌齍齎齏齒齔齕齖齗齘齙齚齜齝齞齟齠齡齣齤齥齦齧齩齪齬齭齮齯齰齱齲齳齴齵齶齷齸齹齺齻齼齽齾"
    "龍龎龏龐龑龓龔龕龖龜龝龞龥龭龯龲龻龽鿁鿐鿓鿠鿳"
)
HANS_ONLY = (
    "万与专业丛东丝丢两严丧个临为丽举么义乌乐习乡书买乱争亏亚产亩亲亵亸亿仅从仑仓们价众优会伛伞伟传伡伣伤伥伦伧伪伫体佥侠侣侥"
    "侦侧侨侪侬俣俨俩俪俫俭债倾偾偿傥傧储傩儿兖兰关兴兹养兽冁冈写军农冯决冻净凛凫凯击凿刍则刚创别刬刭刽刿剀剂剐剑剥务劢动劲勋"
    "勚匦匮华协卖卢卤卫厅厌厍厐厕厢厣县叁叆叇发变号叹叽吕吗吣吨听启呐呒呓呕呖呗员呙呛呜咙咛咝哑哒哓哔哕哗哙哜哝哟唛唝唠唡唢唤"
    "啧啬啭啮啯啴啸喷喾嗫嗳嘘嘤噜嚣团园囱围囵国图圆圣圹场坏块坚坜坝坞坟坠垄垅垆垒垦垩垫垭垯垱垲垴埘埙埚埯堑塆墙声壶壸处备头夹"
    "夺奁奂奋奖奥奨妆妇妈妩妪妫娅娆娲娴婳婴婵婶媪媭嫒嫔嫱嬷孙学宁宝实宠审宪宫宽寝对寻导将尘尧尴层屃屉屦屿岁岂岖岗岘岙岚岛岭岽"
    "岿峃峄峡峣峤峥崂崃崄崭嵘嵚嵝巅巩巯币帅师帏帐帜带帧帮帱帻帼广庆庑库应庞废庼廪开异弑张弥弪弹归当录彝彟彨彻径徕忆忏忧忾态怂"
    "怃怄怅怆总怼怿恳恶恸恹恺恻恽悦悫悬悭悮悯惊惨惫惬惭惮惯愤愦慑慭懑懒懔戆戋戗战戬戯扩扪扫扬扰抚抟抠抡抢护报担拟拢拣拥拦拧拨"
    "择挙挚挜挝挞挠挢挣挤挥挦捝捞损捡换捣据掳掴掸掺掼揽揿搀搁搂搅摄摅摇撄撵撷撸撺擜擞攒敌敛敩数斓斩断无旧时旸昙昽显晓晔晕晖暂"
    "暅暧机杀杂条来杨杩极构枞枢枣枥枧枨枪枫枭柠柽标栈栉栊栋栌栎栏树样桠桡桢档桤桥桦桧桨桩桪梼梾梿检棁棂椁椝椟椠椢椤椫椭椮楼榄"
    "榅榇榈榉槚槛槟槠横樯樱橥橱橹橼檩欢欧歼殁殇残殒殓殚殴毁毂毕毙毵毶氇气氢氩氲汇汉汤沟没沣沤沥沦沧沨沩泞泶泷泸泺泻泼泽泾洁浃"
    "浅浆浇浈浉浊测浍济浏浐浑浒浓浔浕涝涞涟涠涡涢涣涤润涧涨涩淀渌渍渎渐渑渔渖渗湿溁溃溅溆溇滗滞滟滠满滢滤滥滪漤潆潇潋潍潜潴澛"
    "澜濑濒灏灭灯灵灿炀炜炝点炼炽烁烂烃烦烧烨烫热焕焖焘煴爱爷牍牦牵牺犊状犷犸狈狝狞独狭狮狰狱狲猃猎猡猫獭玑玙玚玛玮环现玱玺珑"
    "珰珲琎琏琐瑶瑷瑸璎瓒瓯电畅畴疖疗疟疠疡疬疭疮疯痈痉痖痨痪痫瘅瘆瘗瘪瘫瘾瘿癞癣癫皑皲盏盐监盖盗盘眍眬睁睐睑瞆瞒瞩矶矾矿砀码"
    "砖砗砚砜砺砻砾础硁硕硖硗硙硚确硵硷碛碜礼祃祎祯祸禄禅离种积称秽秾稆税稣穑窍窎窑窜窝窥窦窭竖竞笃笔笕笺笼笾筚筛筜筝筹筼签简"
    "箓箦箧箨箪箫篑篮篯簖籁类籼粝粤粪糁紧絷纟纠纡红纣纤纥约级纨纩纪纫纬纭纮纯纰纱纲纳纴纵纶纷纸纹纺纻纼纽纾线绀绁绂练组绅细织"
    "终绉绊绋绌绍绎经绐绑绒结绔绕绖绗绘给绚绛络绝绞统绠绡绢绣绤绥绦继绨绩绪绫绬续绮绯绰绱绲绳维绵绶绷绸绹绺绻综绽绾绿缀缁缂缃"
    "缄缅缆缇缈缉缊缋缌缍缎缏缐缑缒缓缔缕编缗缘缙缚缛缜缝缞缟缠缡缢缣缤缥缦缧缨缩缪缫缬缭缮缯缰缱缲缳缴缵罂网罗罚罴羁羟翘翙翚"
    "耢耧耸聂聋职聍联聩聪肃肠肤肾肿胀胁胧胨胪胫胶脏脐脑脓脱脶脸腘腻腽腾臜舆舣舰舱舻艰艺节芈芗芜苁苇苈苋苌苍苎苏茎茏茑茔茕茧荙"
    "荚荛荜荝荞荟荠荡荣荤荥荦荧荨荩荪荫荬荭荮药莱莲莳莴莶获莸莹莺莼萚萤营萦萧萨蒇蒉蒋蒌蓝蓟蓠蓣蓥蓦蔷蔹蔺蔼蕰蕲蕴薮藓虏虑虚虮"
    "虽虿蚀蚂蚃蚬蛊蛎蛏蛱蛲蛳蛴蜕蜗蝇蝈蝉蝾螀螨蟏衔补衬袅袆袭袯装裆裈裢裣裤裥褛褝褴襕见观觃规觅视觇览觉觊觋觌觍觎觏觐觑觞触觯"
    "訚詟誉誊讠计订讣认讥讦讧讨让讪讫讬训议讯记讱讲讳讴讵讶讷许讹论讻讼讽设访诀证诂诃评诅识诇诈诉诊诋诌词诎诏诐译诒诓诔试诖诗"
    "诘诙诚诛诜话诞诟诠诡询诣诤该详诧诨诩诪诫诬语诮误诰诱诲诳说诵诶请诸诹诺读诼诽课诿谀谁谂调谄谅谆谇谈谉谊谋谌谍谎谏谐谑谒谓"
    "谔谕谖谗谘谙谚谛谜谝谞谟谠谡谢谣谤谥谦谧谨谩谪谫谬谭谮谯谰谱谲谳谴谵谶豮贝贞负贠贡财责贤败账货质贩贪贫贬购贮贯贰贱贲贳贴"
    "贵贶贷贸费贺贻贼贽贾贿赀赁赂赃资赅赆赇赈赉赊赋赌赍赎赏赐赑赒赓赔赕赖赗赘赙赚赛赜赝赞赟赠赡赢赣赪赵赶趱趸跃跄跞践跶跷跸跹"
    "跻踌踬踯蹑蹒蹿躏躜车轧轨轩轪轫转轭轮软轰轱轲轳轴轵轶轷轸轹轺轻轼载轾轿辀辁辂较辄辅辆辇辈辉辊辋辌辍辎辏辐辑辒输辔辕辖辗辘"
    "辙辚辩辫边辽达过迈运还这进远违连迟迳选递逦遗遥邓邝邬邮邹邺邻郏郐郓郦郧郸酂酝酦酱酽酾酿释鉴錾钅钆钇针钉钊钋钌钍钎钏钐钑钒"
    "钓钔钕钖钗钘钙钚钛钜钝钞钟钠钡钢钣钤钥钦钧钨钩钪钫钬钭钮钯钰钱钲钳钴钵钶钷钸钹钺钻钼钽钾钿铀铁铂铃铄铅铆铇铈铉铊铋铌铍铎"
    "铏铐铑铒铓铔铕铖铗铘铙铚铛铜铝铞铟铠铡铢铣铤铥铦铧铨铩铪铫铬铭铮铯铰铱铲铳铴铵银铷铸铹铺铻铼铽链铿销锁锂锃锄锅锆锇锈锉锊"
    "锋锌锍锎锏锐锑锒锓锔锕锖锗锘错锚锛锜锝锞锟锠锡锢锣锤锥锦锧锨锩锪锫锬锭键锯锰锱锲锳锴锵锶锷锸锹锺锻锼锽锾锿镀镁镂镃镄镅镆"
    "镇镈镉镊镋镌镍镎镏镐镑镒镓镔镕镖镗镘镙镚镛镜镝镞镟镠镡镢镣镤镥镦镧镨镩镪镫镬镭镮镯镰镱镲镳镴镵镶长门闩闪闫闬闭问闯闰闱闲"
    "闳间闵闶闷闸闹闺闻闼闽闾闿阀阁阂阃阄阅阆阇阈阉阊阋阌阍阎阏阐阑阒阓阔阕阖阗阘阙阚阛队阳阴阵阶际陆陇陈陉陕陦陧陨险难雏雠雳"
    "雾霁霭靓靥鞑鞒鞯韦韧韨韩韪韫韬页顶顷顸项顺须顼顽顾顿颀颁颂颃预颅领颇颈颉颊颋颌颍颎颏颐频颒颓颔颕颖颗题颙颚颛颜额颞颟颠颡"
    "颢颣颤颥颦颧风飏飐飑飒飓飔飕飖飗飘飙飚飞飨餍饣饤饥饦饧饨饩饪饫饬饭饮饯饰饱饲饳饴饵饶饷饸饹饺饻饼饽饾饿馀馁馂馃馄馅馆馇馈"
    "馉馊馋馌馍馎馏馐馑馒馓馔馕马驭驮驯驰驱驲驳驴驵驶驷驸驹驺驻驼驽驾驿骀骁骂骃骄骅骆骇骈骉骊骋验骍骎骏骐骑骒骓骔骕骖骗骘骙骚"
    "骛骜骝骞骟骠骡骢骣骤骥骦骧髅髋髌鬓鬶魇魉鱼鱽鱾鱿鲀鲁鲂鲃鲄鲅鲆鲇鲈鲉鲊鲋鲌鲍鲎鲏鲐鲑鲒鲓鲔鲕鲖鲗鲘鲙鲚鲛鲜鲝鲞鲟鲠鲡鲢鲣"
    "鲤鲥鲦鲧鲨鲩鲪鲫鲬鲭鲮鲯鲰鲱鲲鲳鲴鲵鲶鲷鲸鲹鲺鲻鲼鲽鲾鲿鳀鳁鳂鳃鳄鳅鳆鳇鳈鳉鳊鳋鳌鳍鳎鳏鳐鳑鳒鳓鳔鳕鳖鳗鳘鳙鳚鳛鳜鳝鳞鳟"
    "鳠鳡鳢鳣鳤鸟鸠鸡鸢鸣鸤鸥鸦鸧鸨鸩鸪鸫鸬鸭鸮鸯鸰鸱鸲鸳鸴鸵鸶鸷鸸鸹鸺鸻鸼鸽鸾鸿鹀鹁鹂鹃鹄鹅鹆鹇鹈鹉鹊鹋鹌鹍鹎鹏鹐鹑鹒鹓鹔鹕"
    "鹖鹗鹘鹙鹚鹛鹜鹝鹞鹟鹠鹡鹢鹣鹤鹥鹦鹧鹨鹩鹪鹫鹬鹭鹮鹯鹰鹱鹲鹳鹴鹾麸麹黉黡黩黪鼋鼍齐齑齿龀龁龂龃龄龅龆龇龈龉龊龋龌龙龚龛鿎"
    "鿏鿒鿔鿕鿟鿭鿰鿲鿴鿵鿶鿷鿸鿹鿺"
)
HANS_SET = frozenset(HANS_ONLY) | frozenset(SIMPLIFIED)
HANT_SET = frozenset(HANT_ONLY) | frozenset(TRADITIONAL)
assert len(HANT_SET) == 4523 and len(HANS_SET) == 2295 and not HANS_SET & HANT_SET


def zh_variant(text):
    """'zh-Hant' if the text has more characters of HANT_SET than of
    HANS_SET, else 'zh-Hans' (ties and none: zh-Hans)."""
    s = t = 0
    for ch in text:
        if ch in HANS_SET:
            s += 1
        elif ch in HANT_SET:
            t += 1
    return "zh-Hant" if t > s else "zh-Hans"


def read_texts(path):
    """Text bytes of every line of path (split on \\n only; a final line
    without \\n counts; a CR before the \\n and a leading __label__ token are
    removed)."""
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(path, "rb") as f:
            data = f.read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    out = []
    for line in lines:
        line = line.rstrip(b"\r")
        if line.startswith(b"__label__"):
            parts = line.split(None, 1)
            line = parts[1] if len(parts) > 1 else b""
        out.append(line)
    return out


def fasttext_predict(model, texts, k, threshold=None):
    """Yields fastText's output line (str) for each text, in order."""
    cmd = ["fasttext", "predict-prob", model, "-", str(k)]
    if threshold is not None:
        cmd.append(threshold)
    proc = subprocess.Popen(cmd,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def feed():
        try:
            for t in texts:
                proc.stdin.write(t + b"\n")
            proc.stdin.close()
        except BrokenPipeError:
            pass

    th = threading.Thread(target=feed, daemon=True)
    th.start()
    n = 0
    for line in proc.stdout:
        n += 1
        yield line.decode("utf-8", "replace").rstrip("\n")
    th.join()
    rc = proc.wait()
    if rc != 0:
        raise SystemExit("predict_lid176.py: fasttext exited with status %d" % rc)
    if n != len(texts):
        raise SystemExit("predict_lid176.py: %d input lines but fasttext printed %d" % (len(texts), n))


def parse(line):
    """[(label without __label__, probability), ...] of one predict-prob line."""
    tok = line.split()
    if len(tok) % 2:
        raise SystemExit("predict_lid176.py: odd fasttext output: %r" % line[:200])
    out = []
    for i in range(0, len(tok), 2):
        lab = tok[i]
        if lab.startswith("__label__"):
            lab = lab[len("__label__"):]
        out.append((lab, float(tok[i + 1])))
    return out


def main(argv):
    args = argv[1:]
    plain = False
    if args and args[0] == "--plain":
        plain = True
        args = args[1:]
    if len(args) != 2:
        raise SystemExit(__doc__)
    model, path = args
    texts = read_texts(path)
    out = sys.stdout
    n_out = 0
    run = fasttext_predict(model, texts, 1) if plain else fasttext_predict(model, texts, 176, "-1")
    for i, line in enumerate(run):
        if i >= len(texts):
            raise SystemExit("predict_lid176.py: fasttext printed more lines than the %d inputs" % len(texts))
        text = texts[i]
        preds = parse(line)
        if plain:
            if preds:
                out.write("%s\t%.6f\n" % (preds[0][0], min(1.0, preds[0][1])))
            else:
                out.write("\t0.000000\n")
        else:
            kept = {}
            zh = None
            for lab, p in preds:
                if lab in SAME:
                    kept[lab] = kept.get(lab, 0.0) + p
                elif lab == "zh":
                    if zh is None:
                        zh = zh_variant(text.decode("utf-8", "replace"))
                    kept[zh] = kept.get(zh, 0.0) + p
            total = sum(kept.values())
            if total > 0:
                best = max(sorted(kept), key=lambda l: kept[l])
                out.write("%s\t%.6f\n" % (best, kept[best] / total))
            else:
                out.write("\t0.000000\n")
        n_out += 1
    if n_out != len(texts):
        raise SystemExit("predict_lid176.py: %d inputs but %d predictions" % (len(texts), n_out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
