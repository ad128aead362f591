"""Demo texts (example social reports) used by the seed-demo command, each with the national phenomena a handler
would code it with (read from its text, not derived from its themes)."""

from __future__ import annotations

REPORT_TEMPLATES: tuple[dict, ...] = (
    # ------------------------------------------------------------------
    # Negative phenomena
    # ------------------------------------------------------------------
    {
        "phenomenon": "social_problems",
        "nature": "negative",
        "themes": ("housing", "income"),
        "national_phenomena": ("homelessness", "economic_situation"),
        "population_group": "working_age",
        "significance": 4,
        "description": (
            "Kohtuuhintaisia vuokra-asuntoja on alueella selvästi liian vähän, ja "
            "vapaarahoitteisten asuntojen vuokrat ovat nousseet. Yhä useampi asiakas "
            "maksaa vuokraan yli puolet nettotuloistaan, eikä koko vuokraa hyväksytä "
            "perustoimeentulotuessa. Erotus maksetaan ruokaan tarkoitetuista rahoista tai "
            "se jää maksamatta, jolloin kertyy vuokravelkaa ja syntyy häätöuhka. "
            "Maksuhäiriömerkinnän saaneille ei käytännössä löydy vuokra-asuntoa lainkaan."
        ),
        "proposed_actions": (
            "Kunnan ja hyvinvointialueen tulisi yhdessä selvittää kohtuuhintaisen "
            "vuokra-asuntotuotannon lisäämistä. Kelan kanssa tulisi käsitellä asumismenojen "
            "kohtuullisuusrajoja suhteessa alueen todelliseen vuokratasoon, ja kunnan "
            "vuokrataloyhtiön kanssa tarvitaan sovittu käytäntö maksuhäiriöisten "
            "asiakkaiden asuttamisesta."
        ),
    },
    {
        "phenomenon": "social_problems",
        "nature": "negative",
        "themes": ("housing", "social_context", "special_client_groups"),
        "national_phenomena": ("homelessness", "substances_and_addictions", "mental_health"),
        "population_group": "working_age",
        "significance": 3,
        "description": (
            "Kuntaan on muuttanut viime vuosina paljon palveluja tarvitsevia henkilöitä, "
            "koska vuokra-asunnon saa täältä halvalla ja ilman jonoa. Monella muuttajalla on "
            "päihde- tai mielenterveysongelmia, eikä tuki ole siirtynyt heidän mukanaan "
            "edelliseltä paikkakunnalta. Osaan puolityhjistä kerrostaloista on syntynyt "
            "keskittymiä, joissa on häiriöitä, ja naapurit kokevat turvattomuutta. Pienen "
            "kunnan sosiaalityön ja päihdepalvelujen resurssit eivät riitä kasvaneeseen "
            "tarpeeseen."
        ),
        "proposed_actions": (
            "Muuttajien palvelutarve tulisi arvioida pian muuton jälkeen, ja edellisen "
            "asuinkunnan palveluista tulisi saada tieto asiakkaan suostumuksella. Kunnan "
            "kanssa tulisi sopia asumisen tuesta ja jalkautuvasta työstä niissä taloissa, "
            "joihin ongelmat keskittyvät."
        ),
    },
    {
        "phenomenon": "own_services",
        "nature": "negative",
        "themes": ("housing", "service_needs"),
        "national_phenomena": ("homelessness",),
        "population_group": "working_age",
        "significance": 4,
        "description": (
            "Alueella ei ole ensisuojaa eikä muuta tilapäistä majoitusta, johon akuutisti "
            "asunnottomaksi jäänyt asiakas voitaisiin ohjata. Virka-ajan ulkopuolella "
            "tilanteet jäävät sosiaalipäivystyksen ratkaistaviksi, ja majoitus on järjestetty "
            "hotelliin tai leirintäalueen mökkiin. Tämä on kallista, eikä majoituksen aikana "
            "ole tarjolla tukea asunnon hakemiseen. Osa asiakkaista yöpyy tuttavien nurkissa, "
            "rappukäytävissä tai autossa."
        ),
        "proposed_actions": (
            "Hyvinvointialueelle tarvitaan ensisuojapaikkoja myös Kuopion ulkopuolelle, "
            "esimerkiksi ostopalveluna tai järjestöyhteistyönä. Samalla tulisi sopia, miten "
            "asunnon haku ja tuki käynnistetään heti tilapäisen majoituksen alkaessa."
        ),
    },
    {
        "phenomenon": "own_services",
        "nature": "negative",
        "themes": ("housing", "substance_use_and_mental_health"),
        "national_phenomena": ("homelessness", "substances_and_addictions"),
        "population_group": "working_age",
        "significance": 3,
        "description": (
            "Päihdekuntoutuksesta tai katkaisuhoidosta palaavalle asiakkaalle ei ole tarjolla "
            "päihteetöntä tuettua asumista. Ainoa vaihtoehto on usein palata entiseen "
            "asuntoon tai asumisyksikköön, jossa muut asukkaat käyttävät päihteitä. "
            "Kuntoutuksessa saavutettu raittius katkeaa tällöin usein jo ensimmäisten "
            "viikkojen aikana."
        ),
        "proposed_actions": (
            "Hyvinvointialueen asumispalveluihin tulisi perustaa päihteettömiä tuetun "
            "asumisen paikkoja. Kuntoutuksen jälkeinen asuminen tulisi suunnitella ennen "
            "kuntoutusjakson päättymistä."
        ),
    },
    {
        "phenomenon": "own_resources",
        "nature": "negative",
        "themes": ("substance_use_and_mental_health", "service_use"),
        "national_phenomena": ("mental_health", "substances_and_addictions"),
        "population_group": "working_age",
        "significance": 4,
        "description": (
            "Mielenterveys- ja päihdepalveluihin pääsee vain pitkän odotuksen jälkeen, "
            "vaikka asiakkaiden vointi on selvästi huonompi kuin aiemmin. Aikuisten "
            "mielenterveyspalveluihin jonotetaan useita kuukausia, ja odotusaikana tilanne "
            "ehtii monella kriisiytyä. Sosiaalityö joutuu kannattelemaan asiakkaita, joiden "
            "hoito kuuluisi terveydenhuollolle. Päivystyskäynnit ja kiireelliset lähetteet "
            "ovat lisääntyneet."
        ),
        "proposed_actions": (
            "Mielenterveys- ja päihdepalvelujen henkilöstöä tulisi lisätä ja ottaa käyttöön "
            "matalan kynnyksen arviointiaikoja ilman lähetettä. Odotusajalle tarvitaan "
            "sovittu tukimuoto, jotta asiakas ei jää tyhjän päälle."
        ),
    },
    {
        "phenomenon": "network_cooperation",
        "nature": "negative",
        "themes": ("service_processes", "functioning_and_health"),
        "national_phenomena": (),
        "population_group": None,
        "significance": 3,
        "description": (
            "Sosiaalihuollon ja terveydenhuollon yhteistyö on riittämätöntä ja riippuu paljolti "
            "siitä, kuka sattuu olemaan työvuorossa. Terveydenhuollosta ei aina ohjata "
            "asiakkaita sosiaalihuoltoon, vaikka tuen tarve on ilmeinen, eikä meillä ole "
            "sovittua tapaa konsultoida lääkäriä asiakkaan toimintakyvystä. Tiedonkulku "
            "katkeaa usein, ja asiakas joutuu kertomaan asiansa moneen kertaan."
        ),
        "proposed_actions": (
            "Sosiaali- ja terveydenhuollon välille tulisi sopia yhteiset konsultaatiokäytännöt "
            "ja nimetyt yhteyshenkilöt jokaiselle terveysasemalle. Sosiaalihuoltolain mukainen "
            "yhteydenotto sosiaalihuoltoon tulisi kerrata terveydenhuollon henkilöstön kanssa."
        ),
    },
    {
        "phenomenon": "cross_sector_processes",
        "nature": "negative",
        "themes": ("service_processes", "functioning_and_health"),
        "national_phenomena": (),
        "population_group": "older_people",
        "significance": 3,
        "description": (
            "Iäkkäitä asiakkaita kotiutetaan sairaalasta perjantai-iltapäivisin ilman, että "
            "kotihoitoon tai sosiaalityöhön on oltu yhteydessä. Kotona ei ole tarvittavia "
            "apuvälineitä eikä ruokahuoltoa ole järjestetty, ja asiakas palaa usein "
            "päivystykseen muutaman päivän kuluessa. Kotiutussuunnitelma jää paperille, koska "
            "vastuu sen toteuttamisesta on epäselvä."
        ),
        "proposed_actions": (
            "Kotiutuskäytäntöön tulisi lisätä pakollinen yhteydenotto kotihoitoon ja "
            "tarvittaessa sosiaalityöhön ennen kotiutusta. Viikonloppua edeltäviä kotiutuksia "
            "tulisi välttää, jos kotona tarvittavat palvelut eivät ole valmiina."
        ),
    },
    {
        "phenomenon": "social_problems",
        "nature": "negative",
        "themes": ("income", "social_context"),
        "national_phenomena": ("economic_situation",),
        "population_group": "working_age",
        "significance": 3,
        "description": (
            "Asiakkaiden velkaantuminen lisääntyi koronavuosina ja on kiihtynyt, kun ruoan ja "
            "energian hinnat nousivat. Monella on useita kulutusluottoja ja "
            "maksuhäiriömerkintä, ja velat ovat jo ulosotossa. Velkaantuminen näkyy myös "
            "nuorilla aikuisilla, jotka ovat ottaneet pikavippejä verkosta arjen menoihin. "
            "Velkahuoli heikentää jaksamista ja mielenterveyttä."
        ),
        "proposed_actions": (
            "Talous- ja velkaneuvontaan tulisi päästä nopeammin, ja sosiaalityöhön tarvitaan "
            "omaa talousohjauksen osaamista. Nuorille tarvitaan talousosaamista vahvistavaa "
            "ennaltaehkäisevää työtä esimerkiksi toisen asteen oppilaitoksissa."
        ),
    },
    {
        "phenomenon": "internal_processes",
        "nature": "negative",
        "themes": ("service_processes", "client_experiences"),
        "national_phenomena": (),
        "population_group": None,
        "significance": 3,
        "description": (
            "Uusien asiakkaiden palvelutarpeen arviointeja tehdään kiireen vuoksi yhä useammin "
            "pelkästään puhelimitse. Olemme huolissamme arvioiden laadusta ja "
            "paikkansapitävyydestä, koska asiakkaan kotitilanne, vuorovaikutus ja "
            "toimintakyky eivät puhelussa välity. Osa asiakkaista ei ymmärrä puhelun olevan "
            "varsinainen arviointi, eikä muista jälkikäteen, mitä sovittiin."
        ),
        "proposed_actions": (
            "Tulisi määritellä, missä tilanteissa puhelinarviointi riittää ja milloin asiakas "
            "on aina tavattava kasvokkain tai kotikäynnillä. Arvioinnin jälkeen asiakkaalle "
            "tulisi lähettää kirjallinen yhteenveto."
        ),
    },
    {
        "phenomenon": "other_authorities_services",
        "nature": "negative",
        "themes": ("income", "service_processes"),
        "national_phenomena": ("economic_situation",),
        "population_group": "working_age",
        "significance": 3,
        "description": (
            "Kelan perustoimeentulotuen päätökset viipyvät, eivätkä asiakkaat saa Kelaan "
            "yhteyttä puhelimitse. Hakemuksista pyydetään lisäselvityksiä useaan kertaan, ja "
            "sillä välin asiakkaalta loppuu raha ruokaan ja lääkkeisiin. Kiireellisissä "
            "tilanteissa asiakkaat ohjautuvat hyvinvointialueen sosiaalityöhön, ja myönnämme "
            "täydentävää tai ehkäisevää toimeentulotukea paikkaamaan viivettä."
        ),
        "proposed_actions": (
            "Kelan kanssa tulisi sopia nopeasta yhteydenottokanavasta kiireellisiin "
            "tilanteisiin ja käydä yhdessä läpi yleisimmät lisäselvityspyyntöjen syyt. "
            "Asiakkaille tulisi tarjota apua hakemuksen tekemiseen jo ensimmäisellä kerralla."
        ),
    },
    {
        "phenomenon": "other_authorities_services",
        "nature": "negative",
        "themes": ("employment_and_education", "income"),
        "national_phenomena": ("economic_situation",),
        "population_group": "working_age",
        "significance": 3,
        "description": (
            "Työvoimapalvelujen siirryttyä kuntien järjestettäväksi asiakkaiden "
            "yhteyshenkilöt ovat vaihtuneet ja asiointi on siirtynyt pääosin verkkoon. Osa "
            "asiakkaista ei ole osannut hoitaa työnhakuaan verkkopalvelussa, ja heille on "
            "tullut työttömyysetuuteen korvaukseton määräaika. Sen aikana tulot putoavat ja "
            "asiakas hakee toimeentulotukea, jonka perusosaa voidaan alentaa samasta syystä."
        ),
        "proposed_actions": (
            "Työllisyyspalvelujen kanssa tulisi sopia, miten heikossa asemassa olevat "
            "työnhakijat tunnistetaan ja miten he saavat henkilökohtaista ohjausta. "
            "Sosiaalityölle tarvitaan nimetty yhteyshenkilö työllisyyspalveluihin."
        ),
    },
    {
        "phenomenon": "client_needs",
        "nature": "negative",
        "themes": ("employment_and_education", "social_relations_and_inclusion"),
        "national_phenomena": (),
        "population_group": "young_people",
        "significance": 4,
        "description": (
            "Asiakkuuksissa on yhä enemmän nuoria, jotka ovat keskeyttäneet toisen asteen "
            "opinnot tai eivät ole hakeneet opiskelemaan lainkaan. Moni viettää päivät kotona, "
            "vuorokausirytmi on kääntynyt ja kaverisuhteet ovat kaventuneet pelkästään "
            "verkkoon. Nuoret eivät sitoudu palveluihin, joissa asioidaan ajanvarauksella "
            "toimistolla, ja jäävät helposti kaikkien palvelujen ulkopuolelle."
        ),
        "proposed_actions": (
            "Etsivää nuorisotyötä ja jalkautuvaa sosiaaliohjausta tulisi vahvistaa, ja "
            "oppilaitosten kanssa tulisi sopia, että tieto opintojen keskeyttämisestä kulkee "
            "viipymättä ohjaaviin palveluihin. Nuorille tarvitaan joustavia, kuntouttavia "
            "opiskelun ja työn muotoja."
        ),
    },
    {
        "phenomenon": "social_problems",
        "nature": "negative",
        "themes": ("social_relations_and_inclusion", "regional_differences"),
        "national_phenomena": (),
        "population_group": "older_people",
        "significance": 3,
        "description": (
            "Maaseudulla yksin asuvat ikäihmiset kertovat kotikäynneillä yksinäisyydestä. "
            "Kyläkaupat ja pankkipalvelut ovat lähteneet, eikä julkista liikennettä ole, joten "
            "asioimaan ja harrastuksiin pääsee vain omaisten kyydillä. Monella ainoa "
            "säännöllinen kontakti on kotihoidon lyhyt käynti. Yksinäisyys näkyy "
            "masentuneisuutena ja alkoholin käytön lisääntymisenä."
        ),
        "proposed_actions": (
            "Kuntien, järjestöjen ja seurakuntien kanssa tulisi kehittää kylille "
            "ryhmätoimintaa, kuljetuksia ja vapaaehtoisten ystävätoimintaa. Kotihoidon "
            "käynneillä yksinäisyydestä tulisi kysyä ja se tulisi kirjata järjestelmällisesti."
        ),
    },
    {
        "phenomenon": "own_resources",
        "nature": "negative",
        "themes": ("special_client_groups", "service_needs", "regional_differences"),
        "national_phenomena": (),
        "population_group": "children",
        "significance": 4,
        "description": (
            "Lastensuojelun sijaisperheitä ja laitospaikkoja on liian vähän. Kiireellisesti "
            "sijoitettavalle lapselle etsitään paikkaa puhelimella tuntikausia, ja lapsi "
            "joudutaan sijoittamaan kauas omasta kotikunnastaan, joskus toiselle "
            "hyvinvointialueelle. Silloin koulu vaihtuu, yhteys vanhempiin ja kavereihin "
            "vaikeutuu ja sosiaalityöntekijän tapaamiseen kuluu matkoineen koko työpäivä."
        ),
        "proposed_actions": (
            "Sijaisperheiden rekrytointia ja valmennusta tulisi lisätä ja perhehoitajien tukea "
            "parantaa. Hyvinvointialueen omia lastensuojelun laitospaikkoja tulisi lisätä "
            "alueen eri osiin."
        ),
    },
    {
        "phenomenon": "own_services",
        "nature": "negative",
        "themes": ("special_client_groups", "client_experiences"),
        "national_phenomena": (),
        "population_group": "other",
        "significance": 3,
        "description": (
            "Tulkkia on vaikea saada varattua, erityisesti harvinaisempiin kieliin ja lyhyellä "
            "varoitusajalla. Tapaamisia siirretään tai ne hoidetaan ilman tulkkia, jolloin "
            "apuna käytetään asiakkaan lasta tai muuta sukulaista. Tämä vaarantaa asiakkaan "
            "oikeusturvan ja luottamuksellisuuden. Puhelintulkkauksessa yhteys katkeilee, "
            "eikä vaikeita asioita pystytä käsittelemään kunnolla."
        ),
        "proposed_actions": (
            "Tulkkipalvelun hankintasopimuksessa tulisi varmistaa saatavuus myös harvinaisiin "
            "kieliin ja kiireellisiin tilanteisiin sekä videotulkkauksen mahdollisuus. "
            "Henkilöstön kanssa tulisi kerrata, ettei lapsia käytetä tulkkeina."
        ),
    },
    {
        "phenomenon": "client_needs",
        "nature": "negative",
        "themes": ("service_use", "client_experiences"),
        "national_phenomena": ("economic_situation",),
        "population_group": "older_people",
        "significance": 3,
        "description": (
            "Palveluja ja etuuksia haetaan yhä useammin vain sähköisesti, mutta osalla "
            "asiakkaista ei ole verkkopankkitunnuksia, älypuhelinta tai taitoa käyttää niitä. "
            "Erityisesti iäkkäät, muistisairaat ja osa maahan muuttaneista jäävät ilman "
            "etuuksia, joihin heillä olisi oikeus. Työntekijät käyttävät paljon aikaa "
            "lomakkeiden täyttämiseen asiakkaan kanssa."
        ),
        "proposed_actions": (
            "Kaikissa palveluissa tulisi säilyttää mahdollisuus asioida paperilla ja "
            "kasvokkain. Digituen palvelupisteitä tulisi lisätä esimerkiksi kirjastoihin "
            "yhdessä kuntien ja järjestöjen kanssa."
        ),
    },
    {
        "phenomenon": "own_services",
        "nature": "negative",
        "themes": ("regional_differences", "service_use"),
        "national_phenomena": (),
        "population_group": None,
        "significance": 3,
        "description": (
            "Palvelujen keskittäminen suurempiin keskuksiin on pidentänyt pienten kuntien "
            "asukkaiden matkoja. Reuna-alueilta voi olla sadan kilometrin matka "
            "päihdepoliklinikalle tai erikoissairaanhoitoon, eikä julkisilla kulkuneuvoilla "
            "pääse perille ja takaisin saman päivän aikana. Asiakkaat jättävät käyntejä väliin, "
            "koska heillä ei ole varaa maksaa matkakuluja etukäteen."
        ),
        "proposed_actions": (
            "Etävastaanottoja ja liikkuvia palveluja tulisi lisätä, ja keskittämispäätöksissä "
            "tulisi arvioida vaikutukset pienten kuntien asukkaisiin. Matkakulujen "
            "korvaamisesta tulisi kertoa asiakkaille selkeämmin."
        ),
    },
    {
        "phenomenon": "other_authorities_resources",
        "nature": "negative",
        "themes": ("regional_differences", "substance_use_and_mental_health"),
        "national_phenomena": ("mental_health", "substances_and_addictions"),
        "population_group": None,
        "significance": 3,
        "description": (
            "Poliisin virka-avun saaminen kestää syrjäisemmillä alueilla tunteja, koska partio "
            "tulee kaukaa. Tämä koskee esimerkiksi lastensuojelun kiireellisiä sijoituksia ja "
            "mielenterveyslain mukaisia kuljetuksia. Työntekijät joutuvat odottamaan "
            "uhkaavissa tilanteissa ilman turvaa, ja asiakkaan tilanne ehtii kärjistyä."
        ),
        "proposed_actions": (
            "Poliisin kanssa tulisi sopia käytännöstä, jolla virka-apu voidaan ennakoida, kun "
            "tilanne on tiedossa etukäteen. Asia tulisi viedä hyvinvointialueen ja "
            "poliisilaitoksen yhteistyöryhmän käsiteltäväksi."
        ),
    },
    {
        "phenomenon": "other_authorities_resources",
        "nature": "negative",
        "themes": ("income", "service_needs"),
        "national_phenomena": ("economic_situation",),
        "population_group": "working_age",
        "significance": 3,
        "description": (
            "Talous- ja velkaneuvontaan on useiden kuukausien jono. Asiakkaan velkatilanne "
            "ehtii jonotuksen aikana pahentua, ja osa luovuttaa ennen kuin pääsee neuvontaan. "
            "Sosiaalityöntekijät joutuvat selvittämään velkoja ja maksusuunnitelmia ilman "
            "riittävää osaamista."
        ),
        "proposed_actions": (
            "Talous- ja velkaneuvonnan riittämättömistä resursseista tulisi viestiä "
            "oikeusaputoimistolle ja oikeusministeriöön. Neuvonnan kanssa voisi sopia "
            "sosiaalityön asiakkaille nopeamman konsultaatiomahdollisuuden."
        ),
    },
    {
        "phenomenon": "own_resources",
        "nature": "negative",
        "themes": ("service_processes", "client_experiences"),
        "national_phenomena": (),
        "population_group": "working_age",
        "significance": 3,
        "description": (
            "Aikuissosiaalityössä on useita vakansseja täyttämättä, eikä sijaisia saada. "
            "Asiakkaan omatyöntekijä vaihtuu jopa useita kertoja vuodessa, ja suunnitelmat "
            "jäävät toteutumatta. Asiakkaat kertovat joutuvansa aloittamaan alusta jokaisen "
            "uuden työntekijän kanssa, eikä luottamuksellista suhdetta ehdi syntyä."
        ),
        "proposed_actions": (
            "Sosiaalityöntekijöiden rekrytointia tulisi tehostaa esimerkiksi työnohjauksella, "
            "hyvällä perehdytyksellä ja kilpailukykyisellä palkkauksella. Työntekijäkohtaisille "
            "asiakasmäärille tulisi asettaa enimmäismäärä."
        ),
    },
    {
        "phenomenon": "internal_processes",
        "nature": "negative",
        "themes": ("service_processes", "regional_differences"),
        "national_phenomena": (),
        "population_group": None,
        "significance": 2,
        "description": (
            "Hyvinvointialueen eri osissa on edelleen käytössä eri asiakastietojärjestelmiä. "
            "Kun asiakas muuttaa tai asioi toisella alueella, emme näe aiempia kirjauksia "
            "emmekä päätöksiä, ja tiedot joudutaan pyytämään erikseen. Tämä hidastaa "
            "palvelujen järjestämistä ja lisää päällekkäistä työtä."
        ),
        "proposed_actions": "",
    },
    {
        "phenomenon": "cross_sector_processes",
        "nature": "negative",
        "themes": ("substance_use_and_mental_health", "service_processes"),
        "national_phenomena": ("mental_health", "substances_and_addictions"),
        "population_group": "working_age",
        "significance": 4,
        "description": (
            "Asiakkaita, joilla on sekä päihde- että mielenterveysongelma, pallotellaan "
            "palvelujen välillä. Psykiatriassa edellytetään, että päihteiden käyttö on ensin "
            "saatu hallintaan, ja päihdepalveluissa taas todetaan, että mielenterveyden hoito "
            "kuuluu psykiatrialle. Asiakas jää ilman kokonaisvaltaista hoitoa, ja tilanne "
            "kriisiytyy toistuvasti."
        ),
        "proposed_actions": (
            "Kaksoisdiagnoosiasiakkaille tulisi luoda yhteinen hoitopolku ja nimetä taho, joka "
            "koordinoi hoitoa. Psykiatrian ja päihdepalvelujen välille tarvitaan säännölliset "
            "yhteiset asiakaskäsittelyt."
        ),
    },
    {
        "phenomenon": "client_needs",
        "nature": "negative",
        "themes": ("service_needs", "functioning_and_health"),
        "national_phenomena": ("economic_situation", "homelessness"),
        "population_group": "working_age",
        "significance": 3,
        "description": (
            "Asiakkaiden tilanteet ovat aiempaa monimutkaisempia: samalla asiakkaalla on usein "
            "yhtä aikaa velkoja, asunnon menettämisen uhka, päihteiden käyttöä ja heikko "
            "fyysinen terveys. Yksittäiset palvelut vastaavat vain omaan osaansa, eikä kukaan "
            "katso kokonaisuutta. Asiakkaat väsyvät lukuisiin tapaamisiin ja erillisiin "
            "suunnitelmiin."
        ),
        "proposed_actions": (
            "Monialaista yhteistyötä tulisi vahvistaa niin, että asiakkaalla on yksi "
            "vastuutyöntekijä ja yksi yhteinen suunnitelma. Monialaista palvelutarpeen "
            "arviointia tulisi hyödyntää nykyistä enemmän."
        ),
    },
    {
        "phenomenon": "own_resources",
        "nature": "negative",
        "themes": ("service_processes", "special_client_groups"),
        "national_phenomena": (),
        "population_group": "children",
        "significance": 4,
        "description": (
            "Lastensuojelun avohuollossa sosiaalityöntekijöillä on selvästi enemmän asiakkaita "
            "kuin lastensuojelulain enimmäismäärä sallii. Asiakassuunnitelmia ei ehditä "
            "päivittää määräajassa, eikä lapsia tavata niin usein kuin heidän tilanteensa "
            "vaatisi. Työntekijät kuormittuvat, ja osa on hakeutunut muihin tehtäviin."
        ),
        "proposed_actions": (
            "Lastensuojelun henkilöstömitoitus tulisi saattaa lain edellyttämälle tasolle ja "
            "käyttää tarvittaessa tilapäisesti ostopalveluja. Kirjaamistyötä voisi keventää "
            "sosiaaliohjaajien ja toimistohenkilöstön tuella."
        ),
    },
    {
        "phenomenon": "social_problems",
        "nature": "negative",
        "themes": ("income", "social_relations_and_inclusion"),
        "national_phenomena": ("economic_situation",),
        "population_group": "children",
        "significance": 3,
        "description": (
            "Lapsiperheiden köyhyys näkyy yhä useammin asiakastyössä. Perheillä ei ole varaa "
            "lasten harrastuksiin, retkiin tai talvivarusteisiin, ja lapset jäävät pois "
            "yhteisistä toiminnoista. Ruoka-apua hakevien lapsiperheiden määrä on kasvanut, "
            "ja osa vanhemmista häpeää tilannettaan niin paljon, ettei hae apua lainkaan."
        ),
        "proposed_actions": (
            "Kuntien kanssa tulisi laajentaa maksuttomia harrastusmahdollisuuksia koulupäivän "
            "yhteydessä esimerkiksi Harrastamisen Suomen mallin mukaisesti. Ehkäisevää "
            "toimeentulotukea tulisi myöntää joustavammin lasten harrastuksiin."
        ),
    },
    {
        "phenomenon": "own_services",
        "nature": "negative",
        "themes": ("functioning_and_health", "service_needs"),
        "national_phenomena": (),
        "population_group": "older_people",
        "significance": 4,
        "description": (
            "Kotona asuu muistisairaita ikäihmisiä, joiden turvallisuutta ei enää pystytä "
            "takaamaan lyhyillä kotihoidon käynneillä. Öisin he ovat yksin, lähtevät "
            "harhailemaan ulos tai soittavat hätänumeroon. Ympärivuorokautisen "
            "palveluasumisen paikkaa joudutaan odottamaan kuukausia, ja omaiset uupuvat."
        ),
        "proposed_actions": (
            "Ympärivuorokautisen hoidon ja lyhytaikaishoidon paikkoja tulisi lisätä, ja "
            "kotihoidon yöpartio tulisi laajentaa koko alueelle. Omaisten jaksamista tulisi "
            "tukea säännöllisillä vapailla."
        ),
    },
    {
        "phenomenon": "network_cooperation",
        "nature": "negative",
        "themes": ("employment_and_education", "service_processes"),
        "national_phenomena": (),
        "population_group": "children",
        "significance": 3,
        "description": (
            "Koulusta otetaan yhteyttä lastensuojeluun tai perhesosiaalityöhön usein vasta, "
            "kun poissaoloja on kertynyt satoja tunteja. Silloin lapsen koulunkäynti on jo "
            "pahasti kesken ja tilannetta on vaikea korjata. Oppilashuollon ja sosiaalihuollon "
            "välillä ei ole sovittua rajaa, jonka ylittyessä huoli tuodaan yhteiseen "
            "käsittelyyn."
        ),
        "proposed_actions": (
            "Koulujen kanssa tulisi sopia yhteinen poissaolojen seurannan malli ja raja, jonka "
            "ylittyessä järjestetään verkostopalaveri. Koulukuraattorien ja "
            "perhesosiaalityön yhteisiä konsultaatioaikoja tulisi lisätä."
        ),
    },
    {
        "phenomenon": "client_needs",
        "nature": "negative",
        "themes": ("special_client_groups", "housing"),
        "national_phenomena": ("homelessness",),
        "population_group": "young_people",
        "significance": 3,
        "description": (
            "Lastensuojelun jälkihuollossa olleet nuoret jäävät usein ilman tukea, kun "
            "jälkihuolto päättyy. Omaan asuntoon muuttaminen, raha-asiat ja asiointi "
            "viranomaisten kanssa ovat monelle liian vaikeita yksin. Osalla vuokrat jäävät "
            "maksamatta, ja asunto menetetään jo ensimmäisen vuoden aikana."
        ),
        "proposed_actions": (
            "Jälkihuollon päättymistä tulisi valmistella hyvissä ajoin yhdessä "
            "aikuissosiaalityön kanssa, jotta tuki ei katkea. Siirtymävaiheessa nuorille "
            "tulisi tarjota tuettua asumista ja talousohjausta."
        ),
    },
    {
        "phenomenon": "internal_processes",
        "nature": "negative",
        "themes": ("special_client_groups", "service_processes"),
        "national_phenomena": (),
        "population_group": None,
        "significance": 3,
        "description": (
            "Vammaispalvelujen hakemusten käsittely venyy selvästi yli lakisääteisen kolmen "
            "kuukauden. Päätöksiä odotetaan esimerkiksi henkilökohtaisesta avusta ja "
            "asunnon muutostöistä, ja asiakkaan arki on sillä välin kohtuuttoman vaikeaa. "
            "Asiakkaat soittavat perään toistuvasti, mikä vie edelleen aikaa käsittelyltä."
        ),
        "proposed_actions": (
            "Käsittelyjonot tulisi purkaa tilapäisellä lisäresurssilla ja kiireellisimmät "
            "hakemukset priorisoida. Asiakkaalle tulisi ilmoittaa arvioitu käsittelyaika heti "
            "hakemuksen saavuttua."
        ),
    },
    {
        "phenomenon": "social_problems",
        "nature": "negative",
        "themes": ("special_client_groups", "regional_differences"),
        "national_phenomena": ("homelessness",),
        "population_group": None,
        "significance": 3,
        "description": (
            "Lähisuhdeväkivaltaa kokeneiden asiakkaiden ohjaaminen turvakotiin on vaikeaa, "
            "koska alueen reunoilta lähimpään turvakotiin on usean tunnin matka. Osa ei halua "
            "lähteä kauas lasten koulun tai oman työn vuoksi ja palaa väkivaltaiseen kotiin. "
            "Paikallisesti ei ole riittävästi avopalveluja väkivallan katkaisemiseen."
        ),
        "proposed_actions": (
            "Lähisuhdeväkivaltatyön avopalveluja tulisi lisätä koko alueelle ja sopia "
            "turvakodin kanssa kyydeistä ja etätapaamisista. Väkivallan puheeksi ottamista "
            "tulisi kouluttaa kaikille sosiaali- ja terveydenhuollon työntekijöille."
        ),
    },
    # ------------------------------------------------------------------
    # Positive phenomena (good practices worth spreading)
    # ------------------------------------------------------------------
    {
        "phenomenon": "cross_sector_processes",
        "nature": "positive",
        "themes": ("service_processes", "effectiveness"),
        "national_phenomena": ("mental_health",),
        "population_group": "working_age",
        "significance": 3,
        "description": (
            "Terveysasemalla on kokeiltu yhteisvastaanottoa, jossa sosiaaliohjaaja on "
            "tavattavissa samoissa tiloissa sairaanhoitajan ja lääkärin kanssa kahtena "
            "päivänä viikossa. Asiakas saa apua sekä terveyteen että sosiaalisiin asioihin "
            "yhdellä käynnillä, ja esimerkiksi toimeentulo- ja asumisasiat lähtevät liikkeelle "
            "heti. Kynnys ohjata asiakkaita sosiaalihuoltoon on madaltunut, ja henkilöstö kokee "
            "oppineensa toistensa työstä."
        ),
        "proposed_actions": (
            "Yhteisvastaanottoa voisi laajentaa kaikille terveysasemille, pienempiin kuntiin "
            "esimerkiksi kiertävänä vastaanottona tai etäyhteydellä. Kokemukset kannattaa "
            "koota toimintamalliksi muiden yksiköiden käyttöön."
        ),
    },
    {
        "phenomenon": "network_cooperation",
        "nature": "positive",
        "themes": ("social_relations_and_inclusion", "substance_use_and_mental_health"),
        "national_phenomena": ("mental_health", "substances_and_addictions"),
        "population_group": "working_age",
        "significance": 3,
        "description": (
            "Järjestön ylläpitämä matalan kynnyksen kohtaamispaikka on toiminut hyvin. "
            "Paikkaan voi tulla ilman ajanvarausta juomaan kahvia ja syömään edullisen lounaan, "
            "ja tiettyinä päivinä paikalla on myös sosiaaliohjaaja ja päihdetyöntekijä. Moni "
            "asiakas, joka ei tule toimistolle, on saatu sitä kautta palvelujen piiriin. "
            "Kävijät kertovat, että paikka on tuonut päivään rytmiä ja vähentänyt "
            "yksinäisyyttä."
        ),
        "proposed_actions": (
            "Vastaavia kohtaamispaikkoja voisi avata muihinkin kuntiin yhdessä järjestöjen ja "
            "seurakuntien kanssa. Hyvinvointialueen tulisi turvata toiminnan rahoitus "
            "pidemmäksi ajaksi kuin vuodeksi kerrallaan."
        ),
    },
    {
        "phenomenon": "network_cooperation",
        "nature": "positive",
        "themes": ("employment_and_education", "service_use"),
        "national_phenomena": ("economic_situation",),
        "population_group": "young_people",
        "significance": 3,
        "description": (
            "Ohjaamossa nuori saa samasta paikasta apua opiskeluun, työnhakuun, asumiseen ja "
            "raha-asioihin ilman ajanvarausta. Kelan, työllisyyspalvelujen, sosiaaliohjauksen "
            "ja nuorisotyön yhteinen työskentely on nopeuttanut asioiden hoitumista. Nuoret "
            "kokevat tulevansa kuulluiksi, ja moni on päässyt kiinni opintoihin tai "
            "työkokeiluun."
        ),
        "proposed_actions": (
            "Ohjaamon palveluja voisi viedä jalkautuvana myös pienempiin kuntiin esimerkiksi "
            "kerran viikossa. Toimintamallista voisi ottaa oppia myös aikuisten palveluihin."
        ),
    },
    {
        "phenomenon": "own_services",
        "nature": "positive",
        "themes": ("regional_differences", "service_use"),
        "national_phenomena": (),
        "population_group": "older_people",
        "significance": 3,
        "description": (
            "Hyvinvointiauto kiertää syrjäkylillä sovittuina päivinä, ja siinä on tavattavissa "
            "sairaanhoitaja sekä kerran kuukaudessa myös sosiaaliohjaaja. Ikäihmiset, jotka "
            "eivät pääse kirkonkylälle, ovat saaneet apua esimerkiksi lääkeasioihin, "
            "etuushakemuksiin ja kotona asumisen tukeen. Auton käynnit ovat myös tärkeä "
            "sosiaalinen tapahtuma kylällä."
        ),
        "proposed_actions": (
            "Hyvinvointiauton reittejä voisi laajentaa muihinkin kuntiin, ja mukaan voisi "
            "ottaa etäyhteydellä esimerkiksi Kelan tai kunnan palveluneuvonnan."
        ),
    },
    {
        "phenomenon": "other_authorities_services",
        "nature": "positive",
        "themes": ("income", "service_processes"),
        "national_phenomena": ("economic_situation",),
        "population_group": "working_age",
        "significance": 2,
        "description": (
            "Kelan kanssa on sovittu säännöllisistä yhteistyötapaamisista ja nimetyistä "
            "yhteyshenkilöistä. Kun asiakkaan perustoimeentulotuen käsittelyssä on ongelma, "
            "saamme asian selvitettyä suoraan yhteyshenkilön kanssa, eikä asiakkaan tarvitse "
            "jonottaa puhelinpalvelussa. Päällekkäiset hakemukset ja turhat "
            "lisäselvityspyynnöt ovat vähentyneet."
        ),
        "proposed_actions": (
            "Nimettyjen yhteyshenkilöiden malli tulisi ottaa käyttöön koko "
            "hyvinvointialueella. Vastaavaa voisi kokeilla myös työllisyyspalvelujen kanssa."
        ),
    },
    {
        "phenomenon": "cross_sector_processes",
        "nature": "positive",
        "themes": ("functioning_and_health", "effectiveness"),
        "national_phenomena": (),
        "population_group": "older_people",
        "significance": 3,
        "description": (
            "Muistihoitaja ja sosiaaliohjaaja tekevät yhteisen kotikäynnin asiakkaille, jotka "
            "ovat juuri saaneet muistisairausdiagnoosin. Samalla käynnillä käydään läpi sekä "
            "hoito että etuudet, edunvalvontavaltuutus ja kotona asumisen tuki. Omaiset ovat "
            "kokeneet saaneensa tiedon kerralla ja oikeaan aikaan, ja raskaampien palvelujen "
            "tarve on siirtynyt myöhemmäksi."
        ),
        "proposed_actions": (
            "Yhteisen kotikäynnin voisi kirjata osaksi koko alueen muistipolkua. Samaa "
            "työparimallia voisi hyödyntää myös muissa pitkäaikaissairauksissa."
        ),
    },
    {
        "phenomenon": "client_work",
        "nature": "positive",
        "themes": ("client_experiences", "substance_use_and_mental_health"),
        "national_phenomena": ("substances_and_addictions",),
        "population_group": "working_age",
        "significance": 3,
        "description": (
            "Päihdepalveluissa kokemusasiantuntija on ollut mukana asiakastapaamisissa ja "
            "ryhmissä. Asiakkaat kertovat, että kokemusasiantuntijalle on helpompi puhua ja "
            "hänen esimerkkinsä antaa toivoa toipumisesta. Kuntoutukseen sitoutuminen on "
            "parantunut, ja keskeytyksiä on ollut aiempaa vähemmän."
        ),
        "proposed_actions": (
            "Kokemusasiantuntijoita voisi ottaa mukaan myös mielenterveyspalveluihin ja "
            "aikuissosiaalityöhön. Heidän palkkionsa tulisi budjetoida pysyvästi eikä "
            "hankerahoituksen varaan."
        ),
    },
    {
        "phenomenon": "own_services",
        "nature": "positive",
        "themes": ("income", "effectiveness"),
        "national_phenomena": ("economic_situation",),
        "population_group": "working_age",
        "significance": 3,
        "description": (
            "Sosiaalitoimistossa on aloitettu viikoittainen talousohjauksen avoin vastaanotto. "
            "Asiakkaat saavat apua laskujen järjestämiseen, maksusuunnitelmiin ja etuuksien "
            "hakemiseen ennen kuin velat menevät ulosottoon. Osa asiakkaista on välttynyt "
            "häädöltä, kun vuokravelalle on saatu ajoissa maksusuunnitelma."
        ),
        "proposed_actions": (
            "Talousohjauksen avointa vastaanottoa voisi laajentaa muihin toimipisteisiin ja "
            "tarjota sitä myös etänä. Vuokrataloyhtiöt voisivat ohjata maksuvaikeuksissa "
            "olevia asukkaita suoraan vastaanotolle."
        ),
    },
    {
        "phenomenon": "network_cooperation",
        "nature": "positive",
        "themes": ("special_client_groups", "effectiveness"),
        "national_phenomena": ("mental_health",),
        "population_group": "young_people",
        "significance": 3,
        "description": (
            "Ankkuri-toiminnassa poliisi, sosiaalityöntekijä, psykiatrinen sairaanhoitaja ja "
            "nuorisotyöntekijä tapaavat rikoksen tehneen tai väkivaltaa kokeneen nuoren ja "
            "hänen perheensä nopeasti tapahtuman jälkeen. Tukea tarjotaan silloin, kun perhe "
            "on siihen motivoitunut. Olemme nähneet, että uusia rikoksia tehdään vähemmän ja "
            "perheet kokevat saaneensa apua ilman leimautumista."
        ),
        "proposed_actions": (
            "Ankkuri-toiminta tulisi vakinaistaa ja ulottaa tasaisesti koko "
            "hyvinvointialueelle myös pohjoisiin kuntiin."
        ),
    },
    {
        "phenomenon": "other_authorities_resources",
        "nature": "positive",
        "themes": ("housing", "effectiveness"),
        "national_phenomena": ("homelessness", "economic_situation"),
        "population_group": "working_age",
        "significance": 3,
        "description": (
            "Kunnan vuokrataloyhtiön asumisneuvoja ottaa yhteyttä asukkaaseen heti "
            "ensimmäisen maksamattoman vuokran jälkeen. Asumisneuvojan ja sosiaalityön "
            "yhteistyöllä moni häätö on saatu estettyä maksusuunnitelmalla tai ohjaamalla "
            "asukas ajoissa tuen piiriin. Yhteistyö toimii, koska yhteydenpito on suoraa ja "
            "nopeaa."
        ),
        "proposed_actions": (
            "Asumisneuvontaa tulisi laajentaa kaikkiin alueen kuntiin, ja pienet kunnat "
            "voisivat palkata asumisneuvojan yhdessä. Hyvinvointialue voisi osallistua "
            "kustannuksiin, koska häätöjen ehkäisy säästää myös sosiaalihuollon kuluja."
        ),
    },
    {
        "phenomenon": "internal_processes",
        "nature": "positive",
        "themes": ("service_processes",),
        "national_phenomena": (),
        "population_group": None,
        "significance": 2,
        "description": (
            "Tiimissämme on otettu käyttöön päivittäinen lyhyt tilannekatsaus ja yhteinen "
            "konsultaatioaika, jossa kiireelliset asiat jaetaan. Uudet asiakkuudet käynnistyvät "
            "nopeammin, eikä kenenkään tarvitse ratkaista vaikeaa tilannetta yksin. "
            "Työntekijät kokevat kuormituksen vähentyneen, ja uusien työntekijöiden "
            "perehdytys on helpottunut."
        ),
        "proposed_actions": (
            "Käytäntöä voisi kokeilla muissakin sosiaalityön tiimeissä, sillä se ei vaadi "
            "lisäresursseja. Kokemuksia voisi jakaa esihenkilöiden yhteisissä tapaamisissa."
        ),
    },
    {
        "phenomenon": "client_work",
        "nature": "positive",
        "themes": ("client_experiences", "social_relations_and_inclusion"),
        "national_phenomena": (),
        "population_group": "children",
        "significance": 2,
        "description": (
            "Lastensuojelun asiakassuunnitelmaneuvotteluissa on kokeiltu tapaa, jossa lapsi tai "
            "nuori valmistelee työntekijän kanssa etukäteen, mitä hän haluaa neuvottelussa "
            "sanoa, ja saa itse valita tapaamispaikan. Lapset ovat olleet neuvotteluissa "
            "aktiivisempia, ja heidän toiveensa näkyvät suunnitelmissa. Myös vanhemmat ovat "
            "kokeneet neuvottelut vähemmän jännittävinä."
        ),
        "proposed_actions": (
            "Toimintatavan voisi kirjata lastensuojelun yhteiseen ohjeeseen ja kouluttaa "
            "siihen kaikki avo- ja sijaishuollon työntekijät."
        ),
    },
    {
        "phenomenon": "own_resources",
        "nature": "positive",
        "themes": ("effectiveness", "employment_and_education"),
        "national_phenomena": (),
        "population_group": None,
        "significance": 2,
        "description": (
            "Yksikkömme on tarjonnut harjoittelupaikkoja sosiaalialan opiskelijoille ja nimennyt "
            "jokaiselle kokeneen työntekijän ohjaajaksi. Useampi harjoittelija on palannut "
            "meille töihin valmistuttuaan, ja vakanssit on saatu täytettyä aiempaa paremmin. "
            "Myös uudet työntekijät kertovat jäävänsä hyvän perehdytyksen vuoksi."
        ),
        "proposed_actions": (
            "Harjoittelun ohjaukseen tulisi varata työaikaa kaikissa yksiköissä. Yhteistyötä "
            "ammattikorkeakoulun ja yliopiston kanssa voisi tiivistää koko "
            "hyvinvointialueella."
        ),
    },
    # ------------------------------------------------------------------
    # Other important phenomena (weak signals, observations to follow)
    # ------------------------------------------------------------------
    {
        "phenomenon": "client_needs",
        "nature": "other",
        "themes": ("special_client_groups", "service_needs"),
        "national_phenomena": (),
        "population_group": "other",
        "significance": 2,
        "description": (
            "Tilapäistä suojelua saavia henkilöitä siirtyy kotikunnan saatuaan "
            "vastaanottopalveluista hyvinvointialueen ja kunnan palvelujen piiriin. Heidän "
            "palvelutarpeensa, kuten kielikoulutus, työllistyminen ja lasten varhaiskasvatus, "
            "poikkeavat muiden asiakkaiden tarpeista, eikä kaikilla työntekijöillä ole tietoa "
            "heidän oikeuksistaan. Tilannetta kannattaa seurata, koska siirtymiä on tulossa "
            "lisää."
        ),
        "proposed_actions": (
            "Työntekijöille tulisi koota ajantasainen tietopaketti tilapäistä suojelua saavien "
            "oikeuksista ja palveluista sekä sopia yhteistyöstä kunnan kotoutumispalvelujen "
            "kanssa."
        ),
    },
    {
        "phenomenon": "client_needs",
        "nature": "other",
        "themes": ("functioning_and_health", "special_client_groups"),
        "national_phenomena": (),
        "population_group": "older_people",
        "significance": 3,
        "description": (
            "Havaitsemme yhä useammin perheitä, joissa ikääntyneet vanhemmat hoitavat kotona "
            "aikuista vammaista lastaan. Vanhempien oma toimintakyky heikkenee, mutta "
            "tulevasta asumisesta ei ole tehty suunnitelmaa. Tilanteet tulevat esiin usein "
            "vasta kriisissä, kun vanhempi sairastuu äkillisesti."
        ),
        "proposed_actions": "",
    },
    {
        "phenomenon": "internal_processes",
        "nature": "other",
        "themes": ("service_processes", "regional_differences"),
        "national_phenomena": ("economic_situation",),
        "population_group": None,
        "significance": 2,
        "description": (
            "Hyvinvointialueen eri osissa on edelleen erilaisia käytäntöjä esimerkiksi "
            "täydentävän toimeentulotuen harkinnassa ja palvelutarpeen arvioinnin "
            "kirjaamisessa. Asiakas voi saada samanlaiseen hakemukseen erilaisen päätöksen "
            "asuinpaikasta riippuen. Yhtenäisiä ohjeita valmistellaan, mutta asiaa on hyvä "
            "seurata."
        ),
        "proposed_actions": (
            "Yhteiset soveltamisohjeet tulisi saada valmiiksi, ja niistä tulisi järjestää "
            "koulutus kaikille alueille."
        ),
    },
    {
        "phenomenon": "cross_sector_processes",
        "nature": "other",
        "themes": ("employment_and_education", "service_processes"),
        "national_phenomena": ("economic_situation",),
        "population_group": "working_age",
        "significance": 2,
        "description": (
            "Työvoimapalvelujen uudistuksen jälkeen asiakkaat kysyvät sosiaalityöstä asioita, "
            "jotka hoidettiin aiemmin TE-toimistossa, kuten työkyvyn arviointia ja "
            "kuntouttavaa työtoimintaa. Työnjako työllisyyspalvelujen ja sosiaalihuollon "
            "välillä hakee vielä muotoaan. Ilmiö on vasta alkamassa, ja sen vaikutuksia on "
            "syytä seurata seuraavan puolen vuoden ajan."
        ),
        "proposed_actions": (
            "Työllisyyspalvelujen kanssa tulisi laatia yhteinen kuvaus työnjaosta ja siitä, "
            "miten asiakas ohjataan oikeaan paikkaan."
        ),
    },
    {
        "phenomenon": "client_work",
        "nature": "other",
        "themes": ("service_use", "client_experiences"),
        "national_phenomena": (),
        "population_group": "young_people",
        "significance": 1,
        "description": (
            "Olemme huomanneet, että nuoret aikuiset ottavat yhteyttä sosiaalipalveluihin "
            "mieluummin chatin tai viestin kautta kuin puhelimitse. Chat on madaltanut "
            "kynnystä kysyä apua, mutta keskustelut johtavat harvoin varsinaiseen asiakkuuteen. "
            "Tietoa siitä, mitä chatissa kysytään, ei tällä hetkellä koota mihinkään."
        ),
        "proposed_actions": (
            "Chatin yhteydenotoista voisi koota aiheittaista tilastoa, jotta tiedetään, "
            "millaista apua nuoret hakevat."
        ),
    },
    {
        "phenomenon": "social_problems",
        "nature": "other",
        "themes": ("substance_use_and_mental_health", "income"),
        "national_phenomena": ("substances_and_addictions", "economic_situation"),
        "population_group": "young_people",
        "significance": 2,
        "description": (
            "Asiakastyössä on noussut esiin heikkona signaalina nuorten miesten rahapelaaminen "
            "verkossa. Pelaaminen tulee usein ilmi vasta, kun selvitetään toimeentulotuen "
            "hakemisen syitä tai velkoja. Pelaamisen puheeksi ottamiseen ei ole yhteisiä "
            "käytäntöjä."
        ),
        "proposed_actions": (
            "Rahapelaamisen puheeksi ottaminen tulisi lisätä palvelutarpeen arvioinnin "
            "tukikysymyksiin, ja työntekijöille tulisi tarjota koulutusta peliongelmista."
        ),
    },
    {
        "phenomenon": "other_authorities_resources",
        "nature": "other",
        "themes": ("social_context", "income"),
        "national_phenomena": ("economic_situation",),
        "population_group": None,
        "significance": 2,
        "description": (
            "Seurakuntien diakoniatyö ja ruoka-apua jakavat järjestöt kertovat yhteydenottojen "
            "lisääntyneen selvästi, ja avustusmäärärahat ovat loppuneet jo ennen vuoden "
            "loppua. Järjestöistä ohjataan ihmisiä sosiaalitoimistoon, jossa nopeaa apua ei "
            "aina ole tarjota. Tilanne kertoo laajemmasta toimeentulon heikkenemisestä, joka "
            "ei vielä näy tilastoissa."
        ),
        "proposed_actions": "",
    },
)
