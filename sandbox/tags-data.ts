/**
 * Real RAWG tags (id|name|slug|language|games_count), copied once from the recorded responses in
 * tests/fixtures/rawg so the sandbox speaks RAWG's own vocabulary, Russian duplicates included.
 * The counts only weight how often the generator picks a tag.
 */
export const REAL_TAGS = `
31|Singleplayer|singleplayer|eng|240538
45|2D|2d|eng|196595
122|Pixel Graphics|pixel-graphics|eng|90059
571|3D|3d|eng|84429
607|Unity|unity|eng|70823
42396|Для одного игрока|dlia-odnogo-igroka|rus|62387
111|Short|short|eng|57778
42398|Инди|indi-2|rus|46302
16|Horror|horror|eng|44799
25|Space|space|eng|42979
74|Retro|retro|eng|41821
40847|Steam Achievements|steam-achievements|eng|39107
7|Multiplayer|multiplayer|eng|38462
13|Atmospheric|atmospheric|eng|33898
42417|Экшен|ekshen|rus|32512
8|First-Person|first-person|eng|32215
42399|Казуальная игра|kazualnaia-igra|rus|32067
42392|Приключение|prikliuchenie|rus|30453
88|Cute|cute|eng|29382
64|Fantasy|fantasy|eng|28309
4|Funny|funny|eng|25236
136|Music|music|eng|24385
6|Exploration|exploration|eng|23619
118|Story Rich|story-rich|eng|22116
24|RPG|rpg|eng|21569
114|Physics|physics|eng|19465
32|Sci-fi|sci-fi|eng|19454
40849|Steam Cloud|steam-cloud|eng|18564
40836|Full controller support|full-controller-support|eng|18561
69|Action-Adventure|action-adventure|eng|16921
41|Dark|dark|eng|16007
112|Minimalist|minimalist|eng|15419
42413|Симулятор|simuliator|rus|15191
744|friends|friends|eng|15160
42421|Стратегия|strategiia|rus|15056
42412|Ролевая игра|rolevaia-igra|rus|13872
117|Mystery|mystery|eng|13771
138|Relaxing|relaxing|eng|13701
30|FPS|fps|eng|13419
49|Difficult|difficult|eng|13367
141|Point & Click|point-click|eng|13268
189|Female Protagonist|female-protagonist|eng|12725
123|Comedy|comedy|eng|12676
1465|combat|combat|eng|12573
14|Early Access|early-access|eng|12185
631|Low-poly|low-poly|eng|12086
40845|Partial Controller Support|partial-controller-support|eng|11927
115|Controller|controller|eng|11885
18|Co-op|co-op|eng|11860
149|Third Person|third-person|eng|11816
42465|Головоломка|golovolomka|rus|11716
42411|Ранний доступ|rannii-dostup|rus|11709
33|VR|vr|eng|11677
406|Story|story|eng|11427
639|Roguelike|roguelike|eng|11201
56|Shoot 'Em Up|shoot-em-up|eng|11063
113|Side Scroller|side-scroller|eng|10661
131|Fast-Paced|fast-paced|eng|10550
63|Zombies|zombies|eng|10375
981|battle|battle|eng|10217
82|Magic|magic|eng|9626
624|Monsters|monsters|eng|9555
157|PvP|pvp|eng|9542
83|Puzzle-Platformer|puzzle-platformer|eng|9498
70|War|war|eng|9375
2030|city|city|eng|9233
42601|Цветастая|tsvetastaia|rus|9202
42394|Глубокий сюжет|glubokii-siuzhet|rus|9189
1709|work|work|eng|9166
218|Multiple Endings|multiple-endings|eng|8984
1|Survival|survival|eng|8936
42415|Пиксельная графика|pikselnaia-grafika|rus|8851
229|3D Platformer|3d-platformer|eng|8796
808|character|character|eng|8774
17|Survival Horror|survival-horror|eng|8576
42586|Милая|milaia|rus|8473
57|Bullet Hell|bullet-hell|eng|8448
662|RPG Maker|rpg-maker|eng|8181
42480|Фэнтези|fentezi|rus|8080
1743|collect|collect|eng|8074
42425|Для нескольких игроков|dlia-neskolkikh-igrokov|rus|7914
1529|fight|fight|eng|7822
197|Robots|robots|eng|7769
42429|От первого лица|ot-pervogo-litsa|rus|7758
36|Open World|open-world|eng|7667
822|escape|escape|eng|7608
7808|steam-trading-cards|steam-trading-cards|eng|7608
1867|puzzles|puzzles|eng|7342
91|Walking Simulator|walking-simulator|eng|7319
79|Free to Play|free-to-play|eng|7177
97|Action RPG|action-rpg|eng|7091
37|Sandbox|sandbox|eng|7073
42428|Шутер|shuter|rus|6879
172|Aliens|aliens|eng|6851
217|Romance|romance|eng|6851
166|Stylized|stylized|eng|6813
34|Violent|violent|eng|6781
1407|race|race|eng|6754
196|Procedural Generation|procedural-generation|eng|6710
44|Nudity|nudity|eng|6698
66|Medieval|medieval|eng|6560
413|online|online|eng|6556
42482|Смешная|smeshnaia|rus|6514
42463|Платформер|platformer-2|rus|6444
305|Linear|linear|eng|6443
15|Stealth|stealth|eng|6348
892|love|love|eng|6325
42423|Научная фантастика|nauchnaia-fantastika|rus|6123
77|Realistic|realistic|eng|6115
48|Dungeon Crawler|dungeon-crawler|eng|6102
42400|Атмосфера|atmosfera|rus|6102
1897|fire|fire|eng|6092
42564|Расслабляющая|rasslabliaiushchaia|rus|6030
42490|Приключенческий экшен|prikliuchencheskii-ekshen|rus|6027
26|Gore|gore|eng|5797
9|Online Co-Op|online-co-op|eng|5792
1079|environment|environment|eng|5753
40850|Steam Leaderboards|steam-leaderboards|eng|5753
42467|Ретро|retro-2|rus|5752
145|Choices Matter|choices-matter|eng|5656
198|Split Screen|split-screen|eng|5633
167|Futuristic|futuristic|eng|5529
569|Minigames|minigames|eng|5523
42562|Для всей семьи|dlia-vsei-semi|rus|5495
75|Local Co-Op|local-co-op|eng|5478
46|Surreal|surreal|eng|5442
80|Tactical|tactical|eng|5237
171|PvE|pve|eng|5223
107|Family Friendly|family-friendly|eng|5204
411|cooperative|cooperative|eng|5129
11669|stats|stats|eng|5057
42441|От третьего лица|ot-tretego-litsa|rus|5036
640|Roguelite|roguelite|eng|5028
252|Mouse only|mouse-only|eng|4969
42393|Визуальная новелла|vizualnaia-novella|rus|4945
121|Character Customization|character-customization|eng|4897
42402|Насилие|nasilie|rus|4888
134|Anime|anime|eng|4818
42452|Выживание|vyzhivanie|rus|4792
90|Visual Novel|visual-novel|eng|4788
179|Cartoon|cartoon|eng|4752
45878|Online PvP|online-pvp|eng|4704
42406|Нагота|nagota|rus|4646
50|Sexual Content|sexual-content|eng|4645
42405|Сексуальный контент|seksualnyi-kontent|rus|4623
3046|destroy|destroy|eng|4610
37796|exclusive|exclusive|eng|4505
42442|Открытый мир|otkrytyi-mir|rus|4503
42401|Отличный саундтрек|otlichnyi-saundtrek|rus|4465
58127|Бой|boi-2|rus|4464
42420|Сложная|slozhnaia|rus|4461
1652|night|night|eng|4435
101|Turn-Based Strategy|turn-based-strategy|eng|4429
40|Dark Fantasy|dark-fantasy|eng|4323
68|Hack and Slash|hack-and-slash|eng|4308
125|Crafting|crafting|eng|4295
42606|Стилизация|stilizatsiia|rus|4272
42481|Юмор|iumor|rus|4206
42427|Шутер от первого лица|shuter-ot-pervogo-litsa|rus|4149
84|Abstract|abstract|eng|4113
43|Post-apocalyptic|post-apocalyptic|eng|4054
37797|true exclusive|true-exclusive|eng|3990
42491|Мясо|miaso|rus|3941
42390|Решения с последствиями|resheniia-s-posledstviiami|rus|3879
42556|Тайна|taina|rus|3834
164|Cartoony|cartoony|eng|3820
397|Online multiplayer|online-multiplayer|eng|3810
42571|Мультипликация|multiplikatsiia|rus|3749
974|death|death|eng|3733
42477|Мрачная|mrachnaia|rus|3684
175|Turn-Based Combat|turn-based-combat|eng|3679
42434|Игрок против игрока|igrok-protiv-igroka|rus|3648
1484|skill|skill|eng|3524
150|Third-Person Shooter|third-person-shooter|eng|3497
42|Great Soundtrack|great-soundtrack|eng|3405
192|Mature|mature|eng|3289
89|Historical|historical|eng|3274
754|gun|gun|eng|3210
42422|Космос|kosmos-2|rus|3191
188|Parkour|parkour|eng|3173
233|JRPG|jrpg|eng|3169
820|secrets|secrets|eng|3140
585|LGBT|lgbt|eng|3135
59643|Протагонистка|protagonistka|eng|3093
295|Soundtrack|soundtrack|eng|3068
1315|room|room|eng|3034
148|Dark Humor|dark-humor|eng|3007
572|Emotional|emotional|eng|2982
42464|Исследование|issledovanie|rus|2979
42449|Локальный мультиплеер|lokalnyi-multipleer|rus|2949
144|Crime|crime|eng|2874
42530|Кастомизация персонажа|kastomizatsiia-personazha|rus|2782
42494|3D-платформер|3d-platformer-2|rus|2764
42489|Ролевой экшен|rolevoi-ekshen|rus|2759
42468|Головоломка-платформер|golovolomka-platformer|rus|2757
42419|Рогалик|rogalik|rus|2753
142|Detective|detective|eng|2706
40837|In-App Purchases|in-app-purchases|eng|2696
215|Dragons|dragons|eng|2633
187|Demons|demons|eng|2604
42436|Тактика|taktika|rus|2602
634|Escape Game|escape-game|eng|2597
18426|enemy|enemy|eng|2566
42451|Будущее|budushchee|rus|2519
201|Twin Stick Shooter|twin-stick-shooter|eng|2424
42404|Женщина-протагонист|zhenshchina-protagonist|rus|2416
2184|hunt|hunt|eng|2345
98|Loot|loot|eng|2331
40832|Cross-Platform Multiplayer|cross-platform-multiplayer|eng|2271
42591|Упрощённый рогалик|uproshchionnyi-rogalik|rus|2263
110|Cinematic|cinematic|eng|2257
42426|Пошаговая стратегия|poshagovaia-strategiia|rus|2254
42471|Хоррор на выживание|khorror-na-vyzhivanie|rus|2254
3109|weapons|weapons|eng|2247
4451|obstacles|obstacles|eng|2178
119|Dystopian|dystopian|eng|2167
42418|Процедурная генерация|protsedurnaia-generatsiia|rus|2132
250|Underwater|underwater|eng|2104
270|Blood|blood|eng|2073
42539|Скролл-шутер|skroll-shuter|rus|2041
42544|Зомби|zombi-2|rus|2040
108|Mythology|mythology|eng|2038
42512|Олдскул|oldskul|rus|2002
2232|journey|journey|eng|1926
81|Military|military|eng|1921
45201|Remote Play Together|remote-play-together|eng|1921
40838|Includes level editor|includes-level-editor|eng|1902
577|Beautiful|beautiful|eng|1865
207|Rhythm|rhythm|eng|1863
3626|treasure|treasure|eng|1858
120|Memes|memes|eng|1855
168|RTS|rts|eng|1854
317|Time Travel|time-travel|eng|1821
42555|Симулятор ходьбы|simuliator-khodby|rus|1806
208|Alternate History|alternate-history|eng|1804
42484|90-е|90-e|rus|1796
193|Classic|classic|eng|1794
3397|light|light|eng|1789
87|Science|science|eng|1758
243|1990's|1990s|eng|1758
663|Ghosts|ghosts|eng|1755
42691|Эмоциональная|emotsionalnaia|rus|1744
126|Dinosaurs|dinosaurs|eng|1727
5|Replay Value|replay-value|eng|1717
271|Remake|remake|eng|1705
124|Perma Death|perma-death|eng|1657
42568|Пошаговые сражения|poshagovye-srazheniia|rus|1655
11|Team-Based|team-based|eng|1646
42672|Сюрреалистичная|siurrealistichnaia|rus|1617
468|role-playing|role-playing|eng|1592
1190|hell|hell|eng|1568
42446|Шутер от третьего лица|shuter-ot-tretego-litsa|rus|1528
992|student|student|eng|1527
42612|Быстрая|bystraia|rus|1524
40852|Steam Workshop|steam-workshop|eng|1519
42514|Японская ролевая игра|iaponskaia-rolevaia-igra|rus|1512
42529|Для взрослых|dlia-vzroslykh|rus|1457
230|Tactical RPG|tactical-rpg|eng|1447
158|MMORPG|mmorpg|eng|1442
300|Vampire|vampire|eng|1435
580|Souls-like|souls-like|eng|1422
42503|Стратегия в реальном времени|strategiia-v-realnom-vremeni|rus|1400
42431|Военные действия|voennye-deistviia|rus|1395
205|Lore-Rich|lore-rich|eng|1394
42461|Классика|klassika|rus|1394
5816|console|console|eng|1390
40833|Captions available|captions-available|eng|1354
42623|Кинематографичная|kinematografichnaia|rus|1353
1551|ancient|ancient|eng|1339
42485|Инопланетяне|inoplanetiane|rus|1338
42457|Короткая|korotkaia|rus|1334
3103|evil|evil|eng|1302
146|Nonlinear|nonlinear|eng|1299
152|Western|western|eng|1289
42561|Мемы|memy|rus|1289
2774|learn|learn|eng|1278
42526|Детектив|detektiv|rus|1268
46112|Shared/Split Screen Co-op|sharedsplit-screen-co-op|eng|1242
52|Arena Shooter|arena-shooter|eng|1232
42433|Совместная игра по сети|sovmestnaia-igra-po-seti|rus|1229
154|Steampunk|steampunk|eng|1219
2191|alien|alien|eng|1205
245|Trading|trading|eng|1180
170|Competitive|competitive|eng|1155
42593|Одна жизнь|odna-zhizn|rus|1143
320|Sokoban|sokoban|eng|1135
42667|Псевдотрёхмерность|psevdotriokhmernost|rus|1132
143|RPGMaker|rpgmaker|eng|1121
184|Mechs|mechs|eng|1112
42534|Мультфильм|multfilm|rus|1080
139|Trains|trains|eng|1075
42435|Шедевр|shedevr|rus|1059
116|2.5D|25d|eng|1057
4565|offline|offline|eng|1052
42699|Экспериментальная|eksperimentalnaia|rus|1031
688|relationship|relationship|eng|1009
42450|Командная|komandnaia|rus|1001
181|Hunting|hunting|eng|949
62|Moddable|moddable|eng|946
42547|Тактическая ролевая игра|takticheskaia-rolevaia-igra|rus|944
284|Cult Classic|cult-classic|eng|932
691|quick|quick|eng|930
316|Mining|mining|eng|919
42542|Нелинейная|nelineinaia|rus|918
575|Logic|logic|eng|908
42620|Музыка|muzyka|rus|872
1527|rain|rain|eng|860
42643|Паркур|parkur-2|rus|854
42409|Роман|roman-2|rus|850
263|Mars|mars|eng|841
42545|Демоны|demony|rus|839
412|deathmatch|deathmatch|eng|775
42634|Твин-стик шутер|tvin-stik-shuter|rus|758
42566|Альтернативная история|alternativnaia-istoriia|rus|750
42488|Пост-апокалипсис|post-apokalipsis|rus|749
42618|Ритм-игра|ritm-igra|rus|725
1374|doom|doom|eng|719
78|America|america|eng|690
269|Quick-Time Events|quick-time-events|eng|634
286|Psychedelic|psychedelic|eng|633
274|Gun Customization|gun-customization|eng|612
287|Political|political|eng|612
1716|rabbit|rabbit|eng|610
133|3D Vision|3d-vision|eng|590
5842|steam|steam|eng|553
302|Time Manipulation|time-manipulation|eng|551
216|Heist|heist|eng|532
42438|Поддержка модификаций|podderzhka-modifikatsii|rus|520
49953|Hero Shooter|hero-shooter-2|eng|519
278|Assassin|assassin|eng|485
232|Episodic|episodic|eng|474
2863|darkness|darkness|eng|470
43374|Remote Play on TV|remote-play-on-tv|eng|463
42613|Разделение экрана|razdelenie-ekrana|rus|453
40937|Steam Trading Cards|steam-trading-cards-2|eng|431
265|Class-Based|class-based|eng|426
42609|Мехи|mekhi|rus|415
2784|labyrinth|labyrinth|eng|401
42717|Сокобан|sokoban-2|rus|361
2682|strange|strange|eng|360
42577|Кровь|krov|rus|358
42621|Путешествия во времени|puteshestviia-vo-vremeni|rus|347
200|Narration|narration|eng|337
42659|Совместная кампания|sovmestnaia-kampaniia|rus|306
42658|Шахты|shakhty|rus|303
578|Masterpiece|masterpiece|eng|300
336|controller support|controller-support|eng|293
2353|delivery|delivery|eng|291
163|Co-op Campaign|co-op-campaign|eng|286
40834|Commentary available|commentary-available|eng|276
42552|Можно приостановить|mozhno-priostanovit|rus|262
42472|Культовая классика|kultovaia-klassika|rus|247
151|Modern|modern|eng|227
42466|Римейк|rimeik|rus|206
3197|photography|photography|eng|205
194|Real-Time with Pause|real-time-with-pause|eng|194
337|overlay|overlay|eng|193
42702|Мини-игры|mini-igry|rus|193
6580|defender|defender|eng|182
42637|Поезда|poezda|rus|177
206|Party-Based RPG|party-based-rpg|eng|175
1752|japanese|japanese|eng|175
2739|hidden-object|hidden-object-2|eng|139
42647|Марс|mars-2|rus|135
2100|violence|violence|eng|117
1334|escape-room|escape-room|eng|112
40856|Valve Anti-Cheat enabled|valve-anti-cheat-enabled|eng|105
42664|Молчаливый главный герой|molchalivyi-glavnyi-geroi|rus|103
5452|3rd-person|3rd-person|eng|97
319|Silent Protagonist|silent-protagonist|eng|94
311|Underground|underground|eng|91
478|3rd-Person Perspective|3rd-person-perspective|eng|87
73|e-sports|e-sports|eng|80
7413|grappling-hook|grappling-hook|eng|78
40839|Includes Source SDK|includes-source-sdk|eng|62
281|Philisophical|philisophical|eng|38
338|cloud saves|cloud-saves|eng|38
129|TrackIR|trackir|eng|36
283|Based On A Novel|based-on-a-novel|eng|32
3202|alice|alice|eng|26
3207|wonderland|wonderland|eng|24
62349|vr mod|vr-mod|eng|17
306|Lara Croft|lara-croft|eng|14
12913|puzzle-solving|puzzle-solving|eng|11
1514|funeral|funeral|eng|8
22253|time-stop|time-stop|eng|8
5853|secret-agent|secret-agent|eng|7
20373|looking-glass|looking-glass|eng|6
7517|category|category|eng|5
72047|automap|automap|eng|5
21411|bond|bond|eng|4
15937|platform-jumping|platform-jumping|eng|3
84157|ea play|ea-play|eng|3
903|death-positive|death-positive|eng|2
72663|health-bar|health-bar|eng|2
72931|based-on-a-book|based-on-a-book|eng|2
44631|microtranzations|microtranzations|eng|1
52164|fatal frame|fatal-frame-2|eng|1
52165|project zero|project-zero-2|eng|1
73050|dead-parents|dead-parents|eng|1
`;
