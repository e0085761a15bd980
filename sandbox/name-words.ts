/**
 * Word lists for generated names. Every word is a single capitalised token of letters, unique
 * case-insensitively within its list: game, studio and tag names are built by combining one word
 * of each list, so a name (and its slug) maps back to exactly one combination.
 */
export const NAME_WORDS = {
  adjectives: `Amber Ancient Arcane Arctic Ashen Astral Atomic Azure Binary Bitter Blazing Bleak Blind
    Bold Brave Bright Broken Brutal Burning Celestial Chaotic Cheerful Chrome Clever Clockwork Cobalt
    Cosmic Crimson Crooked Cruel Crystal Cursed Cyber Dark Deadly Deep Desert Distant Divine Dizzy
    Dreaming Dusty Eager Eastern Echoing Electric Elder Emerald Empty Endless Epic Eternal Fading
    Fallen Feral Fiery Final Forgotten Frozen Furious Gentle Ghostly Giant Gilded Glass Golden Grand
    Grim Hidden Hollow Holy Hungry Icy Idle Infinite Iron Jade Jolly Last Lazy Little Lone Lost Lucky
    Lunar Mad Magic Mechanical Midnight Mighty Misty Modern Molten Mystic Neon Nimble Noble Northern
    Obsidian Odd Pale Phantom Pixel Primal Proud Quantum Quiet Radiant Rapid Restless Rogue Royal
    Rusty Sacred Savage Scarlet Secret Shadow Shattered Silent Silver Sleepy Solar Sonic Southern
    Spectral Stellar Stone Storm Strange Sunken Super Swift Tiny Twisted Ultra Unknown Velvet Vicious
    Violet Virtual Wandering Western Wicked Wild Winter Wired Wooden Zealous`,
  nouns: `Abyss Academy Alchemy Anthem Archipelago Arena Armada Asylum Avalanche Bandit Bastion Beacon
    Blade Bloom Brigade Canyon Caravan Carnival Castle Cavern Chronicle Circuit Citadel Colony Comet
    Compass Corsair Covenant Crown Crusade Dagger Depths Desire Dimension Dominion Dragon Dream Drift
    Dungeon Dynasty Echo Eclipse Empire Engine Envoy Exile Expedition Fable Factory Falcon Forest
    Fortress Frontier Galaxy Garden Gate Giants Glacier Golem Guardian Harbor Harvest Haven Heist
    Heroes Horizon Hunter Island Journey Jungle Kingdom Knight Labyrinth Legacy Legend Lighthouse
    Machine Mansion Maze Meadow Mercenary Meteor Mirage Monarch Monster Mountain Nebula Nexus Night
    Oasis Odyssey Oracle Orbit Outpost Paladin Paradox Pilgrim Pirates Planet Prophecy Protocol
    Puzzle Quest Racer Raiders Realm Rebellion Relic Requiem Rift River Robot Ruins Saga Samurai
    Sanctuary Scavenger Sentinel Serpent Shrine Siege Signal Skies Soldier Sorcerer Spire Squadron
    Station Summit Survivor Swamp Symphony Temple Territory Thief Throne Tide Tower Trail Tribe
    Valley Vanguard Voyage Warden Warrior Wasteland Wizard Wolves Zenith Zone`,
  /** Appended after the noun; '' is the plain name. None ends in a number (those mark overflow). */
  suffixes: [
    '', ' II', ' III', ' IV', ' V', ' VI', ' VR', ' HD', ' Online', ' Tactics', ' Legends',
    ' Chronicles', ' Simulator', ' Tycoon', ' Rush', ' Returns', ' Unleashed', ' Rising', ' Reborn',
    ' Forever', ' Deluxe', ' Classic', ' Zero', ' Evolution', ' Revolution', ' Adventures',
    ' Survival', ' Defense', ' Party', ' Racing', ' Story', ' World', ' Wars', ' Frontiers',
    ' Royale', ' Remake', ' Collection', ' Trilogy', ' Prologue', ' Gold', ' Extreme', ' Ultimate',
    ' Unlimited', ' Pocket', ' Anniversary Edition', ': Origins', ': Remastered', ': Reloaded',
    ': Rebirth', ': Redux', ': Definitive Edition', ': The Lost Chapter', ': Episode One',
    ': Episode Two', ': Beyond', ': Awakening', ': Aftermath', ': Ascension', ': Genesis',
    ': Revelations',
  ],
  studioForms: ['Studios', 'Games', 'Interactive', 'Entertainment', 'Works', 'Labs', 'Softworks', 'Productions'],
  publisherForms: ['Publishing', 'Digital', 'Media', 'Entertainment', 'Interactive', 'Software', 'Group', 'Holdings'],
  tagHeads: `Ambient Asymmetric Boss Card Cozy Deck Dungeon Escape Farming Hex Hidden Idle Loot Mech
    Naval Physics Procedural Rhythm Space Stealth Tower Turn Voxel Word Zombie`,
  tagTails: `Building Collecting Combat Crafting Crawling Defense Driving Exploration Management Mechanics
    Puzzles Racing Survival Trading Upgrades`,
} as const;
